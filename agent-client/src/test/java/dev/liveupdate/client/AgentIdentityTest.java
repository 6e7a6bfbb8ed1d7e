package dev.liveupdate.client;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.ArrayList;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/** The client talks only to the agent: the socket's server must run as root or the configured uid (SO_PEERCRED). */
class AgentIdentityTest {
    private static final long NOBODY = 65534;

    @TempDir
    Path dir;

    /** A server in this JVM (root in the tests' container) that records what a client sent before hanging up. */
    private CompletableFuture<Integer> serveOnce(AFUNIXServerSocket server) {
        return CompletableFuture.supplyAsync(() -> {
            try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
                return in.readAllBytes().length;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void aSocketServedByAnotherUidIsRefusedBeforeAnythingIsSent() throws Exception {
        Path path = dir.resolve("agent.sock");
        try (AFUNIXServerSocket server = AFUNIXServerSocket.bindOn(AFUNIXSocketAddress.of(path))) {
            CompletableFuture<Integer> received = serveOnce(server);
            assertThatThrownBy(() -> AgentClient.connect(path, AgentIdentity.root(), s -> new PeerCredentials(1000, 4321)))
                    .isInstanceOf(NotTheAgentException.class)
                    .hasMessageStartingWith("the socket at " + path + " is served by uid 1000 (pid 4321), not the agent")
                    .hasMessageContaining(AgentIdentity.UID_ENV);
            assertThat(received.get(10, TimeUnit.SECONDS)).as("bytes the impostor received").isZero();
        }
    }

    @Test
    void theConfiguredUidIsAcceptedBesidesRoot() throws Exception {
        Path path = dir.resolve("agent.sock");
        try (AFUNIXServerSocket server = AFUNIXServerSocket.bindOn(AFUNIXSocketAddress.of(path))) {
            serveOnce(server);
            AgentClient.connect(path, AgentIdentity.rootOr(1000), s -> new PeerCredentials(1000, 1)).close();
            serveOnce(server);
            AgentClient.connect(path, AgentIdentity.rootOr(1000), s -> new PeerCredentials(0, 1)).close();
            serveOnce(server);
            assertThatThrownBy(() -> AgentClient.connect(path, AgentIdentity.rootOr(1000), s -> new PeerCredentials(1001, 1)))
                    .isInstanceOf(NotTheAgentException.class).hasMessageContaining("expected uid 0 or 1000");
        }
    }

    @Test
    void aRealSocketServedByTheExpectedUidPassesTheKernelsCheck() throws Exception {
        // Served by this test process: root in CI (the agent's uid), the developer's uid elsewhere.
        Path path = dir.resolve("agent.sock");
        try (AFUNIXServerSocket server = AFUNIXServerSocket.bindOn(AFUNIXSocketAddress.of(path))) {
            long ownUid = (Integer) Files.getAttribute(path, "unix:uid");
            CompletableFuture<Integer> received = serveOnce(server);
            AgentClient.connect(path, AgentIdentity.rootOr(ownUid)).close();
            assertThat(received.get(10, TimeUnit.SECONDS)).isZero();
        }
    }

    /**
     * A real server of another uid than the one the client expects: as root (CI), python run as nobody through setpriv
     * (both installed by hack/install-prereqs.sh); as another user, python run as that user while the client expects
     * root. Either way the kernel's SO_PEERCRED says who serves the socket.
     */
    @Test
    void aRealSocketServedByAnotherUserIsRefused() throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        Path setpriv = Path.of("/usr/bin/setpriv");
        Path python = Path.of("/usr/bin/python3");
        assertThat(python).as("python3 (hack/install-prereqs.sh installs it)").isExecutable();
        if (root) {
            assertThat(setpriv).as("setpriv from util-linux (hack/install-prereqs.sh installs it)").isExecutable();
        }
        Path shared = Files.createDirectories(dir.resolve("shared"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path path = shared.resolve("agent.sock");
        String server = "import socket,os\n"
                + "s=socket.socket(socket.AF_UNIX); s.bind('" + path + "'); os.chmod('" + path + "',0o777); s.listen(4)\n"
                + "while True:\n  c,_=s.accept(); c.close()\n";
        List<String> command = new ArrayList<>();
        if (root) {
            command.addAll(List.of(setpriv.toString(), "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups"));
        }
        command.addAll(List.of(python.toString(), "-c", server));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(path));
            long serverUid = root ? NOBODY : ((Integer) Files.getAttribute(path, "unix:uid")).longValue();
            assertThatThrownBy(() -> AgentClient.connect(path, AgentIdentity.root()))
                    .isInstanceOf(NotTheAgentException.class)
                    .hasMessageStartingWith("the socket at " + path + " is served by uid " + serverUid + " (pid ");
            AgentClient.connect(path, AgentIdentity.rootOr(serverUid)).close();
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theUidComesFromTheEnvironment() {
        assertThat(AgentIdentity.fromEnvironment(Map.of())).hasToString("uids [0]");
        assertThat(AgentIdentity.fromEnvironment(Map.of(AgentIdentity.UID_ENV, " 1000 "))).hasToString("uids [0, 1000]");
        // The sandbox sets its own uid, which is 0 when it runs as root (CI).
        assertThat(AgentIdentity.fromEnvironment(Map.of(AgentIdentity.UID_ENV, "0"))).hasToString("uids [0]");
        assertThatThrownBy(() -> AgentIdentity.fromEnvironment(Map.of(AgentIdentity.UID_ENV, "agent")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a uid");
    }
}
