package dev.liveupdate.agent.staging;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The admin's settings for kernels downloaded from URLs (docs/node-agent.md, "Staging"; agent settings
 * {@code liveupdate.agent.staging.*}).
 *
 * @param hostDir         the staging directory as plans' staged kernels are named on the host (also a kernel
 *                        directory for loading); nothing but staged kernels is written there
 * @param agentDir        the same directory as the agent reaches it ({@code <host-root><hostDir>})
 * @param allowedPrefixes URL prefixes the agent downloads from; empty: no URL source is allowed
 * @param maxBytes        the largest artifact the agent stages
 * @param connectTimeout  TCP and TLS connect
 * @param stallTimeout    no bytes received for this long: the download stops (Stalled) and is resumed on the retry
 * @param retryInterval   how long a failed artifact waits before the next try
 * @param caBundle        extra PEM certificates trusted for the mirrors (internal CAs), besides the JDK's
 */
public record StagingSettings(Path hostDir, Path agentDir, List<String> allowedPrefixes, long maxBytes, Duration connectTimeout,
        Duration stallTimeout, Duration retryInterval, Optional<Path> caBundle) {
    public static final long DEFAULT_MAX_BYTES = 512L << 20;

    public StagingSettings {
        allowedPrefixes = allowedPrefixes.stream().map(String::trim).filter(p -> !p.isEmpty()).toList();
        if (!hostDir.isAbsolute() || !hostDir.normalize().equals(hostDir)) {
            throw new IllegalArgumentException("staging directory " + hostDir + " must be an absolute host path without . or ..");
        }
        for (String p : allowedPrefixes) {
            if (!p.startsWith("https://") && !p.startsWith("http://") || p.indexOf('/', p.indexOf("://") + 3) < 0) {
                throw new IllegalArgumentException("allowed URL prefix '" + p + "' must be an http(s) URL with a path after the host, e.g. "
                        + "https://mirror.example.com/kernels/ (a bare host would also match https://mirror.example.com.evil.net)");
            }
        }
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("staging max-bytes must be above 0, got " + maxBytes);
        }
    }

    /** The URL is one the admin allows: it starts with an allowed prefix. */
    public boolean allows(String url) {
        return allowedPrefixes.stream().anyMatch(url::startsWith);
    }
}
