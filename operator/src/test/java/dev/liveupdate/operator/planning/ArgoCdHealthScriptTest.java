package dev.liveupdate.operator.planning;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.liveupdate.api.v1alpha1.LiveUpdateStatus;
import dev.liveupdate.api.v1alpha1.PlanPhase;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * The Argo CD health check shipped in examples/gitops runs (in luaj, Lua 5.2 like Argo CD's gopher-lua) against the
 * statuses the real planner writes, so the script and the status it reads cannot drift apart.
 */
class ArgoCdHealthScriptTest {
    private static final Path SCRIPT = locate("examples/gitops/argocd-health.lua");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path locate(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(relative))) {
                return dir.resolve(relative);
            }
        }
        throw new IllegalStateException(relative + " not found above " + Path.of("").toAbsolutePath());
    }

    /** What Argo CD gets back: {status, message}. */
    record Health(String status, String message) {
    }

    static Health health(long generation, LiveUpdateStatus status) throws IOException {
        String obj = "{\"apiVersion\":\"liveupdate.dev/v1alpha1\",\"kind\":\"LiveUpdate\",\"metadata\":{\"name\":\"p\",\"generation\":"
                + generation + "},\"status\":" + (status == null ? "null" : Serialization.asJson(status)) + "}";
        Globals globals = JsePlatform.standardGlobals();
        globals.set("obj", toLua(JSON.readTree(obj)));
        LuaValue hs = globals.load(Files.readString(SCRIPT), "argocd-health.lua").call();
        return new Health(hs.get("status").tojstring(), hs.get("message").tojstring());
    }

    /** JSON as Argo CD hands it to the script: objects and arrays as tables, null as nil. */
    static LuaValue toLua(JsonNode n) {
        if (n == null || n.isNull()) {
            return LuaValue.NIL;
        }
        if (n.isObject()) {
            LuaTable t = new LuaTable();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                t.set(e.getKey(), toLua(e.getValue()));
            }
            return t;
        }
        if (n.isArray()) {
            LuaTable t = new LuaTable();
            for (int i = 0; i < n.size(); i++) {
                t.set(i + 1, toLua(n.get(i)));
            }
            return t;
        }
        if (n.isBoolean()) {
            return LuaValue.valueOf(n.booleanValue());
        }
        if (n.isNumber()) {
            return LuaValue.valueOf(n.doubleValue());
        }
        return LuaValue.valueOf(n.asText());
    }

    private static void runUntil(World w, World.SimPlan p, Predicate<World> done) {
        for (int i = 0; i < 200 && !done.test(w); i++) {
            w.reconcile(p);
            w.agentsUntilQuiet();
            w.advance(Duration.ofSeconds(10));
        }
        assertThat(done.test(w)).as("reached; " + (p.status == null ? null : p.status.getMessage())).isTrue();
    }

    @Test
    void aPlanTheOperatorHasNotSeenIsProgressing() throws IOException {
        assertThat(health(1, null).status()).isEqualTo("Progressing");
        World w = new World().nodes(2);
        World.SimPlan p = w.plan("p", World.spec(1, 0));
        w.reconcile(p);
        assertThat(health(p.generation + 1, p.status)).isEqualTo(new Health("Progressing",
                "the operator has not seen generation " + (p.generation + 1) + " yet (observed " + p.generation + ")"));
    }

    @Test
    void aRolloutIsProgressingThenHealthy() throws IOException {
        World w = new World().nodes(3);
        World.SimPlan p = w.plan("p", World.spec(1, 1));
        w.reconcile(p);
        assertThat(p.status.getPhase()).isIn(PlanPhase.Pending, PlanPhase.Progressing);
        assertThat(health(p.generation, p.status).status()).isEqualTo("Progressing");
        runUntil(w, p, x -> p.status != null && p.status.getPhase() == PlanPhase.Succeeded);
        Health done = health(p.generation, p.status);
        assertThat(done.status()).isEqualTo("Healthy");
        assertThat(done.message()).startsWith("Succeeded: ").contains("3");
    }

    @Test
    void aPausedPlanIsSuspendedAndAHaltedOneDegraded() throws IOException {
        World w = new World().nodes(3);
        World.SimPlan paused = w.plan("paused", World.spec(1, 0));
        paused.spec.setPaused(true);
        w.reconcile(paused);
        assertThat(paused.status.getPhase()).isEqualTo(PlanPhase.Paused);
        assertThat(health(paused.generation, paused.status).status()).isEqualTo("Suspended");

        World w2 = new World().nodes(3);
        World.SimPlan halted = w2.plan("halted", World.spec(1, 1));
        w2.nodes.values().forEach(n -> n.agent = World.Agent.FAIL_PREPARE);
        runUntil(w2, halted, x -> halted.status != null && halted.status.getPhase() == PlanPhase.Halted);
        Health h = health(halted.generation, halted.status);
        assertThat(h.status()).isEqualTo("Degraded");
        assertThat(h.message()).startsWith("Halted: ");
    }

    @Test
    void aCancelledPlanIsWhatGitAskedFor() throws IOException {
        World w = new World().nodes(2);
        World.SimPlan p = w.plan("p", World.spec(1, 0));
        p.spec.setCancel(true);
        runUntil(w, p, x -> p.status != null && p.status.getPhase() == PlanPhase.Cancelled);
        assertThat(health(p.generation, p.status).status()).isEqualTo("Healthy");
    }
}
