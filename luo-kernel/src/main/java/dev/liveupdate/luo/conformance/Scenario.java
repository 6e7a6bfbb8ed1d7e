package dev.liveupdate.luo.conformance;

import dev.liveupdate.luo.Generation;
import java.util.EnumSet;
import java.util.Set;

/** A single-process conformance scenario. It must leave the device as it found it. */
public interface Scenario {
    String name();

    Set<Generation> generations();

    void run(ScenarioContext ctx) throws Exception;

    @FunctionalInterface
    interface Body {
        void run(ScenarioContext ctx) throws Exception;
    }

    static Scenario of(String name, Set<Generation> generations, Body body) {
        return new Scenario() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Set<Generation> generations() {
                return generations;
            }

            @Override
            public void run(ScenarioContext ctx) throws Exception {
                body.run(ctx);
            }
        };
    }

    Set<Generation> BOTH = EnumSet.allOf(Generation.class);
    Set<Generation> ONLY_A = EnumSet.of(Generation.A);
    Set<Generation> ONLY_B = EnumSet.of(Generation.B);
}
