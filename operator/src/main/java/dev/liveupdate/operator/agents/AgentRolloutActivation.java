package dev.liveupdate.operator.agents;

import dev.liveupdate.operator.OperatorConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Says at start whether agent upgrades run. {@link AgentRolloutReconciler} is only looked up (so registered with the
 * operator, with informers on DaemonSets, ControllerRevisions and pods) when an agent DaemonSet is configured: an
 * operator started outside the chart without one watches nothing it has no use for and needs no RBAC for it.
 */
@ApplicationScoped
public class AgentRolloutActivation {
    static final String PROPERTY = "liveupdate.operator.agent-daemon-set";
    private static final Logger LOG = Logger.getLogger(AgentRolloutActivation.class);

    void announce(@Observes StartupEvent start, OperatorConfig config) {
        if (!configured(config)) {
            LOG.infof("agent upgrades: off: no agent DaemonSet configured (%s); the %s controller is not started and"
                    + " the operator watches no DaemonSet, ControllerRevision or pod", PROPERTY, AgentRolloutReconciler.NAME);
        }
    }

    static boolean configured(OperatorConfig config) {
        return config.agentDaemonSet().filter(name -> !name.isBlank()).isPresent();
    }
}
