package dev.liveupdate.luo.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.luo.Generation;
import dev.liveupdate.luo.sim.SimulatedKernel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conformance scenarios, unchanged, against the simulator of each generation: one JUnit test
 * per scenario, each on a freshly cold-booted simulated machine.
 */
class SimulatedConformanceTest {
    @TempDir
    Path temp;

    @TestFactory
    Stream<DynamicTest> generationA() {
        return scenarios(Generation.A);
    }

    @TestFactory
    Stream<DynamicTest> generationB() {
        return scenarios(Generation.B);
    }

    private Stream<DynamicTest> scenarios(Generation generation) {
        return Scenarios.single(generation).stream().map(s -> DynamicTest.dynamicTest(s.name(), () -> {
            Path machine = Files.createTempDirectory(temp, "machine");
            Target target = Backends.simulated(SimulatedKernel.at(machine, generation));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ConformanceRunner runner = new ConformanceRunner(target, new PrintStream(out, true));
            assertThat(runner.generation()).isEqualTo(generation);
            Result result = runner.runOne(s);
            assertThat(result.passed()).as(result.line()).isTrue();
        }));
    }

    /** The whole single-stage suite through the main's runner on one machine: scenarios clean up after themselves. */
    @TestFactory
    Stream<DynamicTest> wholeSuiteOnOneMachine() {
        return Stream.of(Generation.values()).map(g -> DynamicTest.dynamicTest("whole suite, generation " + g, () -> {
            Target target = Backends.simulated(SimulatedKernel.at(temp.resolve("suite-" + g), g));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ConformanceRunner runner = new ConformanceRunner(target, new PrintStream(bytes, true));
            var results = runner.runSingle(Scenarios.single());
            String out = bytes.toString();
            assertThat(results).allMatch(Result::passed);
            assertThat(out).doesNotContain("FAIL ");
            assertThat(results).hasSize(Scenarios.single(g).size());
        }));
    }

}
