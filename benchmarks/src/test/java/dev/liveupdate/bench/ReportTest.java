package dev.liveupdate.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {

    private static Sample sample(String variant, String kind, int run, long deviceReadyMs, long rssKiB) {
        return new Sample(variant, kind, run, 1, 1000, deviceReadyMs - 50, deviceReadyMs, deviceReadyMs + 100, 2000,
                new ProcStats(rssKiB, rssKiB, rssKiB - 20480, 20480, 29, 3000), rssKiB, 40, 10_000,
                new JvmStats(15360, 21504, 41984, 42496, 5632, 9040, 30, 2), 2.5, -1, -1);
    }

    @Test
    void summaryGivesMedianAndRangePerVariantAndLaunch() {
        List<Sample> samples = List.of(sample("a", "first", 1, 3000, 122880), sample("a", "first", 2, 1000, 124928),
                sample("a", "first", 3, 2000, 121856), sample("a", "restart", 1, 1500, 118784), sample("b", "first", 1, 4000, 136192),
                sample("b", "first", 2, 5000, 137216));

        String summary = Report.summary(samples);

        assertThat(summary).contains("a (n=3)", "a/restart (n=1)", "b (n=2)");
        String deviceReady = summary.lines().filter(l -> l.startsWith("device ready")).findFirst().orElseThrow();
        assertThat(deviceReady).contains("2000 (1000-3000)", "1500", "4500 (4000-5000)");
        String rss = summary.lines().filter(l -> l.startsWith("idle RSS")).findFirst().orElseThrow();
        assertThat(rss).contains("120.0 (119.0-122.0)", "116.0", "133.5 (133.0-134.0)");
    }

    @Test
    void fileHasMetadataATabSeparatedRowPerLaunchAndTheSummary() {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("date", "2026-11-27T15:00:00Z");
        meta.put("git", "abc1234");
        List<Sample> samples = List.of(sample("a", "first", 1, 3000, 122880), sample("a", "restart", 1, 1500, 118784));

        String text = Report.file(meta, samples, Report.summary(samples));

        List<String> table = text.lines().filter(l -> !l.startsWith("#")).toList();
        assertThat(table).hasSize(3);
        assertThat(table.get(0)).startsWith("variant\tlaunch\trun\t");
        assertThat(table.get(1).split("\t")).hasSameSizeAs(table.get(0).split("\t")).startsWith("a", "first", "1");
        assertThat(text).contains("# date: 2026-11-27T15:00:00Z", "# git: abc1234", "# median (min-max)");
    }

    @Test
    void durationsInTheShortFormsAndIso() {
        assertThat(Options.parseDuration("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(Options.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Options.parseDuration("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Options.parseDuration("3m")).isEqualTo(Duration.ofMinutes(3));
        assertThat(Options.parseDuration("PT2S")).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void variantNamesMustFitANodeName() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Variant.resolve("MA2", java.nio.file.Path.of("x.jar")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lower-case");
        assertThat(Variant.resolve("recommended", java.nio.file.Path.of("x.jar")).env()).containsEntry("MALLOC_ARENA_MAX", "2");
    }
}
