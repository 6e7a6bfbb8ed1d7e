package dev.liveupdate.api.v1alpha1;

/** Schema patterns shared by several fields, so the API server and the Java code agree on one spelling. */
public final class ApiPatterns {
    /** A Go-style duration restricted to whole units: "90s", "15m", "1h30m", "0s". */
    public static final String DURATION = "^([0-9]+(ms|s|m|h))+$";
    /**
     * An absolute, normalised host path: every segment non-empty and neither "." nor "..", no trailing "/". The agent
     * opens it beneath its kernel directories and refuses anything else; the API server refuses it first.
     */
    public static final String NORMALISED_ABSOLUTE_PATH = "^(/([^/.][^/]*|[.][^/.][^/]*|[.][.][^/]+))+$";
    /**
     * A kernel URL: http(s), a host, no userinfo (no credentials in a plan, which every reader of plans sees), no
     * spaces. Whether http is allowed is the plan's allowPlainHttp; which prefixes the agents fetch is the admin's.
     */
    public static final String KERNEL_URL = "^https?://[^/?#@ ]+([/?#][^ ]*)?$";
    /** A lower-case hex SHA-256 digest. */
    public static final String SHA256 = "^[0-9a-f]{64}$";
    /** A wall-clock time of day, 24h. */
    public static final String TIME_OF_DAY = "^([01][0-9]|2[0-3]):[0-5][0-9]$";
    /**
     * LUO session names: both kernel generations take them (A: 56 bytes with NUL, B: 64), so at most 55 ASCII bytes
     * from a set that is safe in logs, file names and label values.
     */
    public static final String SESSION_NAME = "^[A-Za-z0-9][A-Za-z0-9._-]*$";
    public static final int SESSION_NAME_MAX_BYTES = 55;

    private ApiPatterns() {
    }
}
