package dev.liveupdate.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class ErrorHandlerTest {
    @Test
    void apiAnswersKeepTheServersMessageAndMapToTheirExitCodes() {
        KubernetesClientException forbidden = new KubernetesClientException(new StatusBuilder().withCode(403)
                .withMessage("liveupdates.liveupdate.dev \"p\" is forbidden: User \"bob\" cannot patch resource").build());
        assertThat(ErrorHandler.exitCode(forbidden)).isEqualTo(ExitCodes.API_ERROR);
        assertThat(ErrorHandler.describe(forbidden)).isEqualTo(
                "the API server answered 403: liveupdates.liveupdate.dev \"p\" is forbidden: User \"bob\" cannot patch resource");

        KubernetesClientException gone = new KubernetesClientException(new StatusBuilder().withCode(404).withMessage("not found").build());
        assertThat(ErrorHandler.exitCode(gone)).isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void anUnreachableServerNamesTheServerTheCauseAndWhatToCheck() {
        // The JDK HttpClient's chain: IOException, then a ConnectException without a message.
        KubernetesClientException down = new KubernetesClientException("Operation: [get] failed",
                new IOException(null, new ConnectException()));
        assertThat(ErrorHandler.exitCode(down)).isEqualTo(ExitCodes.API_ERROR);
        assertThat(ErrorHandler.describe(down, "https://10.0.0.1:6443/")).isEqualTo("cannot reach the API server https://10.0.0.1:6443/"
                + " (check --kubeconfig, --context and the cluster): connection refused or host unreachable (ConnectException)");

        KubernetesClientException unknown = new KubernetesClientException("failed", new UnknownHostException("api.example"));
        assertThat(ErrorHandler.describe(unknown)).endsWith(": unknown host (UnknownHostException: api.example)");

        KubernetesClientException tls = new KubernetesClientException("failed",
                new IOException("handshake", new javax.net.ssl.SSLHandshakeException("PKIX path building failed")));
        assertThat(ErrorHandler.describe(tls)).endsWith(": SSLHandshakeException: PKIX path building failed");
    }

    @Test
    void ourOwnErrorsCarryTheirCode() {
        assertThat(ErrorHandler.exitCode(CliException.notFound("x"))).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(ErrorHandler.exitCode(CliException.refused("x"))).isEqualTo(ExitCodes.PLAN_NOT_OK);
        assertThat(ErrorHandler.describe(new CliException(ExitCodes.TIMEOUT, "timed out"))).isEqualTo("timed out");
    }
}
