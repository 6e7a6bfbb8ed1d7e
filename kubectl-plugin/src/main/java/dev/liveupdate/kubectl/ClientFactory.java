package dev.liveupdate.kubectl;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.File;

/** Connects to the cluster the user chose, like kubectl: --kubeconfig, else $KUBECONFIG or ~/.kube/config; --context. */
@FunctionalInterface
public interface ClientFactory {
    KubernetesClient connect(String kubeconfig, String context);

    ClientFactory KUBECONFIG = (kubeconfig, context) -> {
        Config config;
        if (kubeconfig != null) {
            File file = new File(kubeconfig);
            if (!file.canRead()) {
                throw new CliException(ExitCodes.USAGE, "--kubeconfig " + kubeconfig + ": no such readable file");
            }
            try {
                config = Config.fromKubeconfig(context, file);
            } catch (RuntimeException e) {
                throw new CliException(ExitCodes.USAGE, "--kubeconfig " + kubeconfig + " is not a usable kubeconfig"
                        + (context == null ? "" : " with context " + context) + ": " + ErrorHandler.describe(e));
            }
        } else {
            config = Config.autoConfigure(context);
        }
        // Fabric8 falls back to in-cluster defaults for an unknown context; kubectl refuses it, and so do we.
        if (context != null && (config.getCurrentContext() == null || !context.equals(config.getCurrentContext().getName()))) {
            throw new CliException(ExitCodes.USAGE, "context " + context + " not found in "
                    + (kubeconfig != null ? kubeconfig : "the kubeconfig ($KUBECONFIG or ~/.kube/config)"));
        }
        // A person or script waits at the terminal: one quick retry, not Fabric8's ten with back-off (about a minute).
        config.setRequestRetryBackoffLimit(1);
        return new KubernetesClientBuilder().withConfig(config).build();
    };
}
