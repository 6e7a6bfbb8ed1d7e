package dev.liveupdate.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.ConnectException;
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
    void anUnreachableServerNamesTheCauseAndWhatToCheck() {
        KubernetesClientException down = new KubernetesClientException("Operation: [get] failed", new ConnectException("Connection refused"));
        assertThat(ErrorHandler.exitCode(down)).isEqualTo(ExitCodes.API_ERROR);
        assertThat(ErrorHandler.describe(down)).isEqualTo(
                "cannot reach the API server (check --kubeconfig, --context and the cluster): ConnectException: Connection refused");
    }

    @Test
    void ourOwnErrorsCarryTheirCode() {
        assertThat(ErrorHandler.exitCode(CliException.notFound("x"))).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(ErrorHandler.exitCode(CliException.refused("x"))).isEqualTo(ExitCodes.PLAN_NOT_OK);
        assertThat(ErrorHandler.describe(new CliException(ExitCodes.TIMEOUT, "timed out"))).isEqualTo("timed out");
    }
}
