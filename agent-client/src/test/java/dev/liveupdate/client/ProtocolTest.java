package dev.liveupdate.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.liveupdate.client.protocol.ErrorCode;
import dev.liveupdate.client.protocol.Frames;
import dev.liveupdate.client.protocol.Op;
import dev.liveupdate.client.protocol.ProtocolException;
import dev.liveupdate.client.protocol.Request;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProtocolTest {
    @Test
    void requestsRoundTripIncludingFullU64Tokens() throws Exception {
        Request r = Request.decode(Request.preserve("vm-0.a_b", -1L).encode());
        assertThat(r.op()).isEqualTo(Op.PRESERVE);
        assertThat(r.session()).isEqualTo("vm-0.a_b");
        assertThat(Long.toUnsignedString(r.token())).isEqualTo("18446744073709551615");
        assertThat(Request.decode(Request.status(null).encode()).session()).isNull();
    }

    @Test
    void framesAreLengthPrefixedAndBounded() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Frames.write(out, "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(out.toByteArray()).startsWith(0, 0, 0, 2);
        assertThat(Frames.read(new ByteArrayInputStream(out.toByteArray()))).isEqualTo("{}".getBytes(StandardCharsets.UTF_8));
        assertThat(Frames.read(new ByteArrayInputStream(new byte[0]))).isNull();
        assertThatThrownBy(() -> Frames.read(new ByteArrayInputStream(new byte[] {0x7f, 0, 0, 0}))).isInstanceOf(Frames.FrameException.class);
        assertThatThrownBy(() -> Frames.read(new ByteArrayInputStream(new byte[] {0, 0, 0, 9, 1}))).isInstanceOf(Frames.FrameException.class);
    }

    @Test
    void badRequestsCarryTheirCodes() {
        assertCode("{\"v\":1,\"op\":\"preserve\",\"session\":\"\",\"token\":1}", ErrorCode.INVALID_SESSION_NAME);
        assertCode("{\"v\":1,\"op\":\"preserve\",\"session\":\"vm\",\"token\":\"1\"}", ErrorCode.INVALID_TOKEN);
        assertCode("{\"v\":1,\"op\":\"preserve\",\"session\":\"vm\"}", ErrorCode.BAD_REQUEST);
        assertCode("{\"v\":2,\"op\":\"status\"}", ErrorCode.UNSUPPORTED_VERSION);
        assertCode("\u0000\u0001", ErrorCode.BAD_JSON);
    }

    private static void assertCode(String body, ErrorCode code) {
        assertThatThrownBy(() -> Request.decode(body.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    @Test
    void memfdHelpersReadFromOffsetZero() throws Exception {
        byte[] content = "hello".getBytes(StandardCharsets.UTF_8);
        var fd = Memfds.create("t", content);
        assertThat(Memfds.readAll(fd)).isEqualTo(content);
        assertThat(Memfds.sha256(content)).hasSize(64);
        Memfds.close(fd);
    }
}
