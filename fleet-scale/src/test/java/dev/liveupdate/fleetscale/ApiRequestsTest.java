package dev.liveupdate.fleetscale;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiRequestsTest {
    private static final String BEFORE = """
            # HELP apiserver_request_total [STABLE] Counter of apiserver requests
            # TYPE apiserver_request_total counter
            apiserver_request_total{code="200",component="apiserver",dry_run="",group="liveupdate.dev",resource="liveupdatenodes",scope="resource",subresource="status",verb="APPLY",version="v1alpha1"} 10
            apiserver_request_total{code="201",component="apiserver",dry_run="",group="",resource="events",scope="namespace",subresource="",verb="POST",version="v1"} 3
            apiserver_request_total{code="200",component="",dry_run="",group="",resource="",scope="",subresource="/metrics",verb="GET",version=""} 1
            """;
    private static final String AFTER = """
            apiserver_request_total{code="200",component="apiserver",dry_run="",group="liveupdate.dev",resource="liveupdatenodes",scope="resource",subresource="status",verb="APPLY",version="v1alpha1"} 25
            apiserver_request_total{code="409",component="apiserver",dry_run="",group="liveupdate.dev",resource="liveupdatenodes",scope="resource",subresource="status",verb="APPLY",version="v1alpha1"} 2
            apiserver_request_total{code="201",component="apiserver",dry_run="",group="",resource="events",scope="namespace",subresource="",verb="POST",version="v1"} 3
            apiserver_request_total{code="200",component="apiserver",dry_run="",group="",resource="nodes",scope="resource",subresource="",verb="PATCH",version="v1"} 4
            apiserver_request_total{code="200",component="apiserver",dry_run="",group="",resource="nodes",scope="resource",subresource="",verb="GET",version="v1"} 7
            """;

    @Test
    void differenceSumsCodesAndDropsUnchangedKeys() {
        ApiRequests d = ApiRequests.from(AFTER).minus(ApiRequests.from(BEFORE));
        assertThat(d.get("APPLY", "liveupdatenodes/status")).isEqualTo(17);
        assertThat(d.get("PATCH", "nodes")).isEqualTo(4);
        assertThat(d.counts()).doesNotContainKey("POST events");
    }

    @Test
    void writesCountOnlyStateChangingVerbs() {
        ApiRequests d = ApiRequests.from(AFTER);
        assertThat(d.writes(Set.of("nodes", "liveupdatenodes/status", "events"))).isEqualTo(27 + 3 + 4);
        assertThat(d.sum(Set.of(), Set.of("nodes"))).isEqualTo(11);
    }
}
