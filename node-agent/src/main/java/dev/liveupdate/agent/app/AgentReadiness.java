package dev.liveupdate.agent.app;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** /q/health/ready: up once the device is opened (or known absent), the watch is up and the socket listens. */
@Readiness
@ApplicationScoped
public class AgentReadiness implements HealthCheck {
    @Inject
    AgentLifecycle agent;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("liveupdate-agent").status(agent.ready());
        String problem = agent.problem();
        if (problem != null) {
            b.withData("problem", problem);
        }
        String phase = agent.phase();
        if (phase != null) {
            b.withData("phase", phase);
        }
        return b.build();
    }
}
