package dev.liveupdate.client.cli;

import dev.liveupdate.client.AgentClient;
import dev.liveupdate.client.AgentException;
import dev.liveupdate.client.Memfds;
import dev.liveupdate.client.protocol.StatusReport;
import dev.liveupdate.client.protocol.Tokens;
import dev.liveupdate.client.protocol.Wire;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.newsclub.net.unix.FileDescriptorCast;

/** lu-client: the command line side of the workload socket. Exit codes: 0 ok, 1 verification failed, 2 usage, 3 agent error reply, 4 I/O. */
public final class LuClient {
    static final int OK = 0;
    static final int MISMATCH = 1;
    static final int USAGE = 2;
    static final int AGENT_ERROR = 3;
    static final int IO_ERROR = 4;

    private static final String USAGE_TEXT = String.join("\n",
            "usage: lu-client <command> [--socket PATH] [options]",
            "  preserve   --session S --token T (--memfd-from-file F | --fd N)",
            "  unpreserve --session S --token T",
            "  retrieve   --session S --token T --out FILE",
            "  verify     --session S --token T --sha256 HEX      (prints VERIFIED <sha>)",
            "  status     [--session S] [--json]",
            "  workload   --session S --token T [--bytes 1M] [--record FILE] [--then-verify] [--timeout 10m]",
            "             sample workload: a memfd of random bytes, preserved; with --then-verify it waits for",
            "             the update, retrieves the file and prints VERIFIED <sha>",
            "             --freeze: also subscribe to freeze notices and ack them (--freeze-ack auto|never,",
            "             --freeze-ack-delay 0s); prints FREEZE/ACKED/THAWED/RESUMED lines",
            "  workload-verify --record FILE [--timeout 10m] [--freeze]   (after the update, in a new process)",
            "  subscribe  [--ack auto|never] [--ack-delay 0s] [--count N] [--timeout 10m]",
            "             print freeze/thawed/resumed notices, ack freezes (subscribes again after a kexec)",
            "socket: --socket, else $LIVEUPDATE_AGENT_SOCKET, else " + Wire.DEFAULT_SOCKET);

    private final PrintStream out;
    private final PrintStream err;

    LuClient(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] argv) {
        System.exit(new LuClient(System.out, System.err).run(argv));
    }

    int run(String[] argv) {
        if (argv.length == 0 || argv[0].equals("--help") || argv[0].equals("help")) {
            out.println(USAGE_TEXT);
            return argv.length == 0 ? USAGE : OK;
        }
        List<String> rest = Arrays.asList(argv).subList(1, argv.length);
        try {
            Args args = new Args(rest, Set.of("json", "then-verify", "freeze"));
            Path socket = Path.of(args.get("socket", envOr("LIVEUPDATE_AGENT_SOCKET", Wire.DEFAULT_SOCKET)));
            return switch (argv[0]) {
                case "preserve" -> preserve(socket, args);
                case "unpreserve" -> unpreserve(socket, args);
                case "retrieve" -> retrieve(socket, args);
                case "verify" -> verify(socket, args);
                case "status" -> status(socket, args);
                case "subscribe" -> subscribe(socket, args);
                case "workload" -> new SampleWorkload(socket, out).run(args);
                case "workload-verify" -> new SampleWorkload(socket, out).verifyRecord(args);
                default -> throw new Args.UsageException("unknown command " + argv[0]);
            };
        } catch (Args.UsageException e) {
            err.println("lu-client: " + e.getMessage());
            err.println(USAGE_TEXT);
            return USAGE;
        } catch (AgentException e) {
            err.println("lu-client: agent refused: " + e.getMessage());
            return AGENT_ERROR;
        } catch (IOException e) {
            err.println("lu-client: " + e.getMessage());
            return IO_ERROR;
        }
    }

    private int preserve(Path socket, Args args) throws IOException {
        String session = args.required("session");
        long token = args.token();
        FileDescriptor fd;
        String what;
        if (args.has("memfd-from-file")) {
            byte[] content = Files.readAllBytes(Path.of(args.required("memfd-from-file")));
            fd = Memfds.create("lu-" + session + "-" + Tokens.format(token), content);
            what = "memfd of " + content.length + " bytes sha256=" + Memfds.sha256(content);
        } else if (args.has("fd")) {
            fd = FileDescriptorCast.unsafeUsing(Integer.parseInt(args.required("fd"))).getFileDescriptor();
            what = "fd " + args.required("fd");
        } else {
            throw new Args.UsageException("preserve needs --memfd-from-file F or --fd N");
        }
        try (AgentClient agent = AgentClient.connect(socket)) {
            agent.preserve(session, token, fd);
        }
        out.println("PRESERVED session=" + session + " token=" + Tokens.format(token) + " " + what);
        return OK;
    }

    /** Exit 0 when --count notices came (or, without --count, at the timeout); 1 when fewer came by the timeout. */
    private int subscribe(Path socket, Args args) throws IOException {
        int count = Integer.parseInt(args.get("count", String.valueOf(Integer.MAX_VALUE)));
        Instant deadline = Instant.now().plus(args.duration("timeout", "10m"));
        int seen = FreezeListener.from(socket, out, args).listen(count, deadline);
        return !args.has("count") || seen >= count ? OK : MISMATCH;
    }

    private int unpreserve(Path socket, Args args) throws IOException {
        try (AgentClient agent = AgentClient.connect(socket)) {
            agent.unpreserve(args.required("session"), args.token());
        }
        out.println("UNPRESERVED");
        return OK;
    }

    private int retrieve(Path socket, Args args) throws IOException {
        Path target = Path.of(args.required("out"));
        byte[] content;
        try (AgentClient agent = AgentClient.connect(socket)) {
            FileDescriptor fd = agent.retrieve(args.required("session"), args.token());
            content = Memfds.readAll(fd);
            Memfds.close(fd);
        }
        Files.write(target, content);
        out.println("RETRIEVED " + content.length + " bytes sha256=" + Memfds.sha256(content) + " -> " + target);
        return OK;
    }

    private int verify(Path socket, Args args) throws IOException {
        String expected = args.required("sha256");
        try (AgentClient agent = AgentClient.connect(socket)) {
            FileDescriptor fd = agent.retrieve(args.required("session"), args.token());
            return SampleWorkload.report(out, expected, Memfds.readAll(fd), fd);
        }
    }

    private int status(Path socket, Args args) throws IOException {
        StatusReport report;
        try (AgentClient agent = AgentClient.connect(socket)) {
            report = agent.status(args.get("session", null));
        }
        if (args.has("json")) {
            out.println(report.toJson().toPrettyString());
            return OK;
        }
        StatusReport.AgentInfo a = report.agent();
        out.printf("node %s  phase %s  abi %s  boot %s  kernel %s  plan %s%s%n", a.node(), a.phase(), a.abi(), a.bootID(),
                a.kernelRelease(), a.plan() == null ? "-" : a.plan(), a.updatedBy() ? "  (this boot came from a live update)" : "");
        StatusReport.PeerInfo me = report.peer();
        if (me != null) {
            out.printf("files of %s: %d of %d%s%n", me.owner(), me.files(), me.maxFiles(),
                    me.maxBytes() > 0 ? String.format(", %d of %d bytes", me.bytes(), me.maxBytes()) : String.format(", %d bytes", me.bytes()));
        }
        out.printf("%-24s %-20s %-10s %s%n", "SESSION", "TOKEN", "STATE", "DETAIL");
        for (StatusReport.FileEntry f : report.files()) {
            out.printf("%-24s %-20s %-10s %s%n", f.session(), Tokens.format(f.token()), f.state(), f.detail() == null ? "" : f.detail());
        }
        return OK;
    }

    private static String envOr(String name, String dflt) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? dflt : v;
    }
}
