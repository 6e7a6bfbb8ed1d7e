package dev.liveupdate.client.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.LongNode;
import java.math.BigInteger;

/** Tokens are the kernel's u64: on the wire a JSON integer 0..2^64-1, in Java a long holding the same 64 bits. */
public final class Tokens {
    private static final BigInteger MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private Tokens() {
    }

    public static JsonNode toJson(long token) {
        return token >= 0 ? LongNode.valueOf(token) : BigIntegerNode.valueOf(new BigInteger(Long.toUnsignedString(token)));
    }

    /** @throws ProtocolException INVALID_TOKEN when the node is not an integer in range */
    public static long fromJson(JsonNode node) throws ProtocolException {
        if (node == null || node.isNull() || node.isMissingNode()) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "missing field \"token\"");
        }
        if (!node.isIntegralNumber()) {
            throw new ProtocolException(ErrorCode.INVALID_TOKEN, "token must be an integer 0..18446744073709551615, got " + node);
        }
        BigInteger value = node.bigIntegerValue();
        if (value.signum() < 0 || value.compareTo(MAX) > 0) {
            throw new ProtocolException(ErrorCode.INVALID_TOKEN, "token " + value + " outside 0..18446744073709551615");
        }
        return value.longValue();
    }

    public static String format(long token) {
        return Long.toUnsignedString(token);
    }

    public static long parse(String text) {
        return Long.parseUnsignedLong(text);
    }
}
