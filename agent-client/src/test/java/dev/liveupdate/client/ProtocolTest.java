package dev.liveupdate.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.liveupdate.client.protocol.ErrorCode;
import dev.liveupdate.client.protocol.Frames;
import dev.liveupdate.client.protocol.Notice;
import dev.liveupdate.client.protocol.Op;
import dev.liveupdate.client.protocol.ProtocolException;
import dev.liveupdate.client.protocol.Reply;
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
    void subscribeAckAndNoticesRoundTripAndNoticesAreNotReplies() throws Exception {
        assertThat(Request.decode(Request.subscribe().encode()).op()).isEqualTo(Op.SUBSCRIBE);
        Request ack = Request.decode(Request.ack(7).encode());
        assertThat(ack.op()).isEqualTo(Op.ACK);
        assertThat(ack.ackId()).isEqualTo(7);
        assertThat(new String(Request.ack(7).encode(), StandardCharsets.UTF_8)).isEqualTo("{\"v\":1,\"op\":\"ack\",\"id\":7}");
        assertCode("{\"v\":1,\"op\":\"ack\"}", ErrorCode.BAD_REQUEST);
        assertCode("{\"v\":1,\"op\":\"ack\",\"id\":0}", ErrorCode.BAD_REQUEST);
        assertCode("{\"v\":1,\"op\":\"ack\",\"id\":\"7\"}", ErrorCode.BAD_REQUEST);

        Notice freeze = Notice.decode(Notice.freeze(3, 10_000, "2026-12-07T13:40:10.120Z", "p", "7.3.0").encode());
        assertThat(freeze.kind()).isEqualTo(Notice.FREEZE);
        assertThat(freeze.id()).isEqualTo(3);
        assertThat(freeze.timeoutMillis()).isEqualTo(10_000);
        assertThat(freeze.text("deadline")).isEqualTo("2026-12-07T13:40:10.120Z");
        Notice thawed = Notice.decode(Notice.thawed(3, "FreezeTimeout", "why").encode());
        assertThat(thawed.kind()).isEqualTo(Notice.THAWED);
        assertThat(thawed.text("reason")).isEqualTo("FreezeTimeout");
        Notice resumed = Notice.decode(Notice.resumed("b2", "b1", "p", null).encode());
        assertThat(resumed.text("bootID")).isEqualTo("b2");
        assertThat(resumed.text("kernelRelease")).isNull();
        // A reply is never taken for a notice, nor a notice for a reply.
        assertThatThrownBy(() -> Notice.decode(Reply.ok().encode())).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> Reply.decode(freeze.encode())).isInstanceOf(ProtocolException.class);
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
