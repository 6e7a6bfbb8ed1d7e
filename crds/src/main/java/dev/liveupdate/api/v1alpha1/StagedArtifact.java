package dev.liveupdate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One kernel artifact in the agent's staging directory, as the agent reports it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StagedArtifact {
    @JsonPropertyDescription("The artifact's SHA-256 (its name in the staging directory).")
    private String sha256;
    @JsonPropertyDescription("Downloading, Staged (checksum verified, ready to load) or Failed (retried; see reason).")
    private StagingState state;
    @JsonPropertyDescription("Bytes on disk: the whole file when Staged, what a resumed download starts from otherwise.")
    private Long bytes;
    @JsonPropertyDescription("Why it failed: KernelSourceNotAllowed, ChecksumMismatch, TooLarge, Stalled, Truncated, HttpStatus, InsecureRedirect, TlsFailed, ConnectFailed, NoSpace, ...")
    private String reason;
    @JsonPropertyDescription("What went wrong and what to do about it; the URL downloaded.")
    private String message;

    public StagedArtifact() {
    }

    public StagedArtifact(String sha256, StagingState state, Long bytes, String reason, String message) {
        this.sha256 = sha256;
        this.state = state;
        this.bytes = bytes;
        this.reason = reason;
        this.message = message;
    }

    public String getSha256() {
        return sha256;
    }

    public void setSha256(String sha256) {
        this.sha256 = sha256;
    }

    public StagingState getState() {
        return state;
    }

    public void setState(StagingState state) {
        this.state = state;
    }

    public Long getBytes() {
        return bytes;
    }

    public void setBytes(Long bytes) {
        this.bytes = bytes;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StagedArtifact a && java.util.Objects.equals(sha256, a.sha256) && state == a.state
                && java.util.Objects.equals(bytes, a.bytes) && java.util.Objects.equals(reason, a.reason)
                && java.util.Objects.equals(message, a.message);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(sha256, state, bytes, reason, message);
    }
}
