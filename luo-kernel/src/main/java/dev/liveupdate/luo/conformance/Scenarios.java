package dev.liveupdate.luo.conformance;

import dev.liveupdate.luo.Generation;
import java.util.ArrayList;
import java.util.List;

/** The conformance suite: every single-process scenario and every kexec scenario. */
public final class Scenarios {
    private Scenarios() {}

    public static List<Scenario> single() {
        List<Scenario> all = new ArrayList<>();
        all.addAll(BasicScenarios.all());
        all.addAll(DispatchScenarios.all());
        all.addAll(GenerationAScenarios.all());
        all.addAll(GenerationBScenarios.all());
        all.addAll(BindingScenarios.all());
        return all;
    }

    public static List<Scenario> single(Generation generation) {
        return single().stream().filter(s -> s.generations().contains(generation)).toList();
    }

    public static List<KexecScenario> kexec(Generation generation) {
        return KexecScenarios.all().stream().filter(s -> s.generations().contains(generation)).toList();
    }
}
