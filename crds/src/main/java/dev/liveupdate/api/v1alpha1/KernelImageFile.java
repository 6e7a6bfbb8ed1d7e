package dev.liveupdate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A regular file in one of the agent's kernel directories, as fleet preflight sees it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KernelImageFile {
    @JsonPropertyDescription("Host path of the file.")
    private String path;
    @JsonPropertyDescription("Size in bytes.")
    private Long sizeBytes;
    @JsonPropertyDescription("Lower-case hex SHA-256 of the content (hashed once per path, size and modification time).")
    private String sha256;

    public KernelImageFile() {
    }

    public KernelImageFile(String path, Long sizeBytes, String sha256) {
        this.path = path;
        this.sizeBytes = sizeBytes;
        this.sha256 = sha256;
    }

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public Long getSizeBytes() {
        return sizeBytes;
    }

    public void setSizeBytes(Long sizeBytes) {
        this.sizeBytes = sizeBytes;
    }

    public String getSha256() {
        return sha256;
    }

    public void setSha256(String sha256) {
        this.sha256 = sha256;
    }
}
