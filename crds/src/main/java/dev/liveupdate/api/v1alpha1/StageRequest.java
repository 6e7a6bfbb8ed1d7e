package dev.liveupdate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** One kernel artifact (image or initrd) a node's agent should download into its staging directory. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StageRequest {
    @Required
    @Size(max = KernelSpec.MAX_URL_LENGTH)
    @Pattern(ApiPatterns.KERNEL_URL)
    @JsonPropertyDescription("Where to download it from (the plan's kernel.url or kernel.initrdUrl).")
    private String url;

    @Required
    @Pattern(ApiPatterns.SHA256)
    @JsonPropertyDescription("Lower-case hex SHA-256 the bytes must have; the staged file is named by it.")
    private String sha256;

    @JsonPropertyDescription("The plan allows http:// (kernel.allowPlainHttp).")
    private Boolean allowPlainHttp;

    @Size(max = 253)
    @JsonPropertyDescription("The plan that asked for it (for people; the agent keeps what any request names).")
    private String plan;

    public StageRequest() {
    }

    public StageRequest(String url, String sha256, Boolean allowPlainHttp, String plan) {
        this.url = url;
        this.sha256 = sha256;
        this.allowPlainHttp = allowPlainHttp;
        this.plan = plan;
    }

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public String getSha256() {
        return sha256;
    }

    public void setSha256(String sha256) {
        this.sha256 = sha256;
    }

    public Boolean getAllowPlainHttp() {
        return allowPlainHttp;
    }

    public void setAllowPlainHttp(Boolean allowPlainHttp) {
        this.allowPlainHttp = allowPlainHttp;
    }

    public String getPlan() {
        return plan;
    }

    public void setPlan(String plan) {
        this.plan = plan;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StageRequest r && java.util.Objects.equals(url, r.url) && java.util.Objects.equals(sha256, r.sha256)
                && java.util.Objects.equals(allowPlainHttp, r.allowPlainHttp) && java.util.Objects.equals(plan, r.plan);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(url, sha256, allowPlainHttp, plan);
    }
}
