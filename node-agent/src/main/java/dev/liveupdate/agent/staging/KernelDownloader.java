package dev.liveupdate.agent.staging;

import dev.liveupdate.api.v1alpha1.StageRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * Downloads one kernel artifact into the staging directory (the admin's trust model, safety invariant 11 before the
 * load): only from an allowed URL prefix; https, or http when the plan allows it; redirects followed only to https
 * (or http when allowed), at most {@link #MAX_REDIRECTS}; at most {@code maxBytes}; a connect timeout and a stall
 * timeout (no byte for that long). The bytes go to {@code <sha256>.part}; a later try resumes it with a Range request
 * when the server answers 206 with the matching Content-Range (anything else starts over). Only bytes with the
 * requested SHA-256 get the final name {@code <sha256>}, by an atomic rename after fsync; the load checks the
 * checksum again through its confined fd.
 */
public final class KernelDownloader {
    static final int MAX_REDIRECTS = 5;
    static final String PART = ".part";
    private static final Pattern CONTENT_RANGE = Pattern.compile("^bytes (\\d+)-(\\d+)/(\\d+|\\*)$");

    private final StagingSettings settings;
    private final SSLContext tls;

    public KernelDownloader(StagingSettings settings) {
        this.settings = settings;
        this.tls = MirrorTrust.context(settings.caBundle());
    }

    /** The staged file of this checksum (it exists only once verified). */
    public Path staged(String sha256) {
        return settings.agentDir().resolve(sha256);
    }

    /**
     * Stages the artifact unless it already is; returns its size.
     *
     * @param progress told the bytes on disk when a transfer starts (what a resumed download starts from)
     */
    public long stage(StageRequest request, LongConsumer progress) throws StagingFailed {
        String url = request.getUrl();
        String sha = request.getSha256();
        boolean plainHttp = Boolean.TRUE.equals(request.getAllowPlainHttp());
        if (url == null || sha == null || !sha.matches("^[0-9a-f]{64}$")) {
            throw new StagingFailed("InvalidRequest", "a staging request needs a url and a lower-case hex sha256; got " + url + ", " + sha);
        }
        if (!settings.allows(url)) {
            throw new StagingFailed("KernelSourceNotAllowed", url + " is not under a URL prefix the admin allows "
                    + (settings.allowedPrefixes().isEmpty() ? "(none is: URL kernel sources are off on this node)" : settings.allowedPrefixes())
                    + "; add the mirror to the chart value agent.staging.allowedUrlPrefixes (agent setting liveupdate.agent.staging.allowed-url-prefixes)");
        }
        checkScheme(url, plainHttp, "kernel URL");
        Path done = staged(sha);
        if (Files.isRegularFile(done)) {
            if (sha.equals(hashOf(done))) {
                return size(done);
            }
            deleteQuietly(done); // changed on disk since it was staged: stage it again
        }
        createDir();
        Path part = settings.agentDir().resolve(sha + PART);
        download(url, sha, plainHttp, part, progress);
        try {
            Files.move(part, done, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw failedIo("cannot rename " + part + " to " + done, e);
        }
        return size(done);
    }

    private void download(String url, String sha, boolean plainHttp, Path part, LongConsumer progress) throws StagingFailed {
        long have = Files.isRegularFile(part) ? size(part) : 0;
        if (have > settings.maxBytes()) {
            deleteQuietly(part);
            have = 0;
        }
        HttpURLConnection conn = connect(url, plainHttp, have);
        try {
            int code = code(conn, url);
            long offset;
            if (code == 206 && have > 0 && rangeMatches(conn.getHeaderField("Content-Range"), have)) {
                offset = have;
            } else if (code == 200 || code == 206) {
                offset = 0; // the server ignored the Range or answered another one: start over
                if (have > 0) {
                    conn.disconnect();
                    deleteQuietly(part);
                    conn = connect(url, plainHttp, 0);
                    code = code(conn, url);
                    if (code != 200) {
                        throw httpStatus(code, url);
                    }
                }
            } else if (code == 416 && have > 0) {
                // The part is as long as (or longer than) the file: it can only be wrong; the next try starts over.
                deleteQuietly(part);
                throw new StagingFailed("ResumeRefused", url + " refused to resume at byte " + have + " (HTTP 416); the partial file was dropped, the next try starts over");
            } else {
                throw httpStatus(code, url);
            }
            long length = conn.getContentLengthLong();
            if (length >= 0 && offset + length > settings.maxBytes()) {
                throw tooLarge(url, offset + length);
            }
            if (length >= 0) {
                ensureSpace(offset + length - have, part);
            }
            progress.accept(offset);
            transfer(conn, url, sha, part, offset, length);
        } finally {
            conn.disconnect();
        }
    }

    private void transfer(HttpURLConnection conn, String url, String sha, Path part, long offset, long length) throws StagingFailed {
        MessageDigest md = sha256();
        if (offset > 0) {
            digestExisting(md, part, offset);
        }
        long written = offset;
        StandardOpenOption[] mode = offset > 0
                ? new StandardOpenOption[] {StandardOpenOption.WRITE, StandardOpenOption.APPEND}
                : new StandardOpenOption[] {StandardOpenOption.WRITE, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING};
        try (InputStream in = conn.getInputStream(); OutputStream out = Files.newOutputStream(part, mode)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                if (written + n > settings.maxBytes()) {
                    out.close();
                    deleteQuietly(part);
                    throw tooLarge(url, written + n);
                }
                out.write(buf, 0, n);
                md.update(buf, 0, n);
                written += n;
            }
            if (length >= 0 && written < offset + length) {
                throw truncated(url, written, offset + length, null);
            }
            out.flush();
            if (out instanceof java.io.FileOutputStream f) {
                f.getFD().sync();
            }
        } catch (SocketTimeoutException e) {
            throw new StagingFailed("Stalled", url + " sent no byte for " + settings.stallTimeout().toSeconds() + "s after " + written
                    + " bytes; kept for a resumed try (agent setting liveupdate.agent.staging.stall-timeout)");
        } catch (SSLException e) {
            throw new StagingFailed("TlsFailed", "TLS with " + url + " broke after " + written + " bytes: " + e.getMessage());
        } catch (IOException e) {
            if (noSpace(e)) {
                throw new StagingFailed("NoSpace", "no space left in the staging directory " + settings.hostDir() + " after " + written
                        + " bytes of " + url + "; free some or give the agent another liveupdate.agent.staging.dir");
            }
            throw truncated(url, written, length < 0 ? -1 : offset + length, e);
        }
        syncFile(part);
        String actual = HexFormat.of().formatHex(md.digest());
        if (!actual.equals(sha)) {
            deleteQuietly(part);
            throw new StagingFailed("ChecksumMismatch", url + " has sha256 " + actual + " (" + written + " bytes), the plan wants " + sha
                    + "; nothing was staged: fix the plan's checksum or the file on the mirror");
        }
    }

    private HttpURLConnection connect(String url, boolean plainHttp, long from) throws StagingFailed {
        String current = url;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpURLConnection conn = open(current);
            if (from > 0) {
                conn.setRequestProperty("Range", "bytes=" + from + "-");
            }
            int code = code(conn, current);
            if (code < 300 || code >= 400 || code == 304) {
                return conn;
            }
            String location = conn.getHeaderField("Location");
            conn.disconnect();
            if (location == null) {
                throw httpStatus(code, current);
            }
            String next;
            try {
                next = new URI(current).resolve(location.trim()).toString();
            } catch (URISyntaxException | IllegalArgumentException e) {
                throw new StagingFailed("BadRedirect", current + " redirected to an invalid location '" + location + "'");
            }
            if (next.startsWith("http://") && !plainHttp) {
                throw new StagingFailed("InsecureRedirect", current + " redirected to plain http (" + next + "); the agent follows only "
                        + "https redirects unless the plan sets kernel.allowPlainHttp");
            }
            checkScheme(next, plainHttp, "redirect target");
            current = next;
        }
        throw new StagingFailed("TooManyRedirects", url + " redirected more than " + MAX_REDIRECTS + " times");
    }

    private HttpURLConnection open(String url) throws StagingFailed {
        try {
            HttpURLConnection conn = (HttpURLConnection) URI.create(url).toURL().openConnection();
            if (conn instanceof HttpsURLConnection https) {
                https.setSSLSocketFactory(tls.getSocketFactory());
            }
            conn.setInstanceFollowRedirects(false);
            conn.setUseCaches(false);
            conn.setConnectTimeout(millis(settings.connectTimeout()));
            conn.setReadTimeout(millis(settings.stallTimeout()));
            conn.setRequestProperty("Accept-Encoding", "identity");
            conn.setRequestProperty("User-Agent", "liveupdate-agent");
            return conn;
        } catch (IOException | IllegalArgumentException e) {
            throw new StagingFailed("ConnectFailed", "cannot open " + url + ": " + e.getMessage());
        }
    }

    private int code(HttpURLConnection conn, String url) throws StagingFailed {
        try {
            return conn.getResponseCode();
        } catch (SocketTimeoutException e) {
            throw new StagingFailed("Stalled", url + " did not answer within the connect/stall timeout: " + e.getMessage());
        } catch (SSLException e) {
            throw new StagingFailed("TlsFailed", "TLS with " + url + " failed: " + e.getMessage()
                    + " (an internal CA? give its PEM as liveupdate.agent.staging.ca-bundle)");
        } catch (IOException e) {
            throw new StagingFailed("ConnectFailed", "cannot reach " + url + ": " + e);
        }
    }

    private static void checkScheme(String url, boolean plainHttp, String what) throws StagingFailed {
        if (url.startsWith("https://") || plainHttp && url.startsWith("http://")) {
            return;
        }
        throw new StagingFailed("InsecureUrl", "the " + what + " " + url + " is not https"
                + (url.startsWith("http://") ? " and the plan does not set kernel.allowPlainHttp" : ""));
    }

    private static boolean rangeMatches(String contentRange, long from) {
        if (contentRange == null) {
            return false;
        }
        Matcher m = CONTENT_RANGE.matcher(contentRange.trim());
        return m.matches() && Long.parseLong(m.group(1)) == from;
    }

    private void ensureSpace(long needed, Path part) throws StagingFailed {
        try {
            long free = Files.getFileStore(settings.agentDir()).getUsableSpace();
            if (free < needed) {
                throw new StagingFailed("NoSpace", "the staging directory " + settings.hostDir() + " has " + (free >> 20) + " MiB free, "
                        + (needed >> 20) + " MiB are needed for " + part.getFileName() + "; free some or give the agent another liveupdate.agent.staging.dir");
            }
        } catch (IOException e) {
            // Unknown free space: the write itself will tell.
        }
    }

    private void createDir() throws StagingFailed {
        try {
            Files.createDirectories(settings.agentDir());
        } catch (IOException e) {
            throw failedIo("cannot create the staging directory " + settings.agentDir(), e);
        }
    }

    private static void digestExisting(MessageDigest md, Path part, long length) throws StagingFailed {
        try (InputStream in = Files.newInputStream(part)) {
            byte[] buf = new byte[1 << 16];
            long left = length;
            int n;
            while (left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0) {
                md.update(buf, 0, n);
                left -= n;
            }
        } catch (IOException e) {
            throw failedIo("cannot read the partial download " + part, e);
        }
    }

    private static String hashOf(Path file) throws StagingFailed {
        MessageDigest md = sha256();
        try {
            digestExisting(md, file, Files.size(file));
        } catch (IOException e) {
            throw failedIo("cannot read " + file, e);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static void syncFile(Path file) throws StagingFailed {
        try (var ch = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        } catch (IOException e) {
            throw failedIo("cannot sync " + file, e);
        }
    }

    private StagingFailed tooLarge(String url, long bytes) {
        return new StagingFailed("TooLarge", url + " is larger than the agent stages (" + bytes + " bytes > " + settings.maxBytes()
                + "; agent setting liveupdate.agent.staging.max-bytes)");
    }

    private static StagingFailed truncated(String url, long got, long expected, IOException cause) {
        return new StagingFailed("Truncated", url + " ended after " + got + " bytes" + (expected >= 0 ? " of " + expected : "")
                + (cause == null ? "" : " (" + cause.getMessage() + ")") + "; kept for a resumed try");
    }

    private static StagingFailed httpStatus(int code, String url) {
        return new StagingFailed("HttpStatus " + code, url + " answered HTTP " + code
                + (code == 404 ? ": the file is not on the mirror (check the plan's kernel.url)" : code == 401 || code == 403
                        ? ": the mirror refuses the agent (URL sources carry no credentials)" : ""));
    }

    private static StagingFailed failedIo(String what, IOException e) {
        return new StagingFailed(noSpace(e) ? "NoSpace" : "StagingIoFailed", what + ": " + e.getMessage());
    }

    private static boolean noSpace(IOException e) {
        return e.getMessage() != null && e.getMessage().contains("No space left on device");
    }

    private static long size(Path p) throws StagingFailed {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw failedIo("cannot stat " + p, e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a stale part is overwritten by the next try
        }
    }

    private static int millis(java.time.Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
