package dev.liveupdate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One of the agent's kernel directories (the only places it loads kernels from) and the space left there. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KernelDirectory {
    @JsonPropertyDescription("Host path of the directory.")
    private String path;
    @JsonPropertyDescription("Bytes an unprivileged writer may still use on the directory's filesystem; absent when the directory is missing.")
    private Long freeBytes;

    public KernelDirectory() {
    }

    public KernelDirectory(String path, Long freeBytes) {
        this.path = path;
        this.freeBytes = freeBytes;
    }

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public Long getFreeBytes() {
        return freeBytes;
    }

    public void setFreeBytes(Long freeBytes) {
        this.freeBytes = freeBytes;
    }
}
