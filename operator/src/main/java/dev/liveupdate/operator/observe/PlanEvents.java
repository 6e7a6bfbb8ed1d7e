package dev.liveupdate.operator.observe;

import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.operator.OperatorConfig;
import dev.liveupdate.operator.planning.PlanEvent;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * Posts core/v1 Events about a plan. LiveUpdates are cluster-scoped, so events go to one configured namespace
 * (default "default", where kubectl describe looks for cluster-scoped objects). Best effort: a lost event never fails
 * a reconcile.
 */
@ApplicationScoped
public class PlanEvents {
    private static final Logger LOG = Logger.getLogger(PlanEvents.class);
    private final KubernetesClient client;
    private final OperatorConfig config;

    public PlanEvents(KubernetesClient client, OperatorConfig config) {
        this.client = client;
        this.config = config;
    }

    public void post(LiveUpdate plan, PlanEvent e) {
        LOG.infof("plan=%s event=%s type=%s message=%s", plan.getMetadata().getName(), e.reason(),
                e.warning() ? "Warning" : "Normal", e.message());
        String now = Instant.now().toString();
        String name = plan.getMetadata().getName() + "." + Long.toHexString(System.nanoTime())
                + Long.toHexString(Double.doubleToLongBits(Math.random())).substring(0, 4);
        try {
            client.v1().events().inNamespace(config.eventNamespace()).resource(new EventBuilder()
                    .withNewMetadata().withName(name.toLowerCase(Locale.ROOT)).endMetadata()
                    .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion(plan.getApiVersion())
                            .withKind(plan.getKind()).withName(plan.getMetadata().getName())
                            .withUid(plan.getMetadata().getUid()).build())
                    .withType(e.warning() ? "Warning" : "Normal").withReason(e.reason())
                    .withMessage(e.message().length() > 1000 ? e.message().substring(0, 1000) : e.message())
                    .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                    .withNewSource().withComponent("liveupdate-operator").endSource()
                    .build()).create();
        } catch (KubernetesClientException ex) {
            LOG.debugf("could not post event %s for %s: %s", e.reason(), plan.getMetadata().getName(), ex.getMessage());
        }
    }
}
