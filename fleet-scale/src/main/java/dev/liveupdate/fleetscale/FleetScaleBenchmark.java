package dev.liveupdate.fleetscale;

import dev.liveupdate.testcluster.RepoLayout;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.FileHandler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * The fleet-scale benchmark's entry point: {@code mvn -B -q -pl fleet-scale compile exec:java -Dfleet.nodes=1000}
 * (options: docs/benchmarks.md, "Fleet scale"). Writes the report (and a PNG plot next to it) and prints the summary.
 */
public final class FleetScaleBenchmark {
    private FleetScaleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path module = RepoLayout.locate().root().resolve("fleet-scale");
        FleetScaleOptions options = FleetScaleOptions.fromSystemProperties(module);
        int exit = 0;
        try {
            FleetScaleResult r = runAndReport(options, FleetScaleRun.defaultOperatorJar(), commandLine(options));
            exit = r.planPhase() == null ? 1 : 0;
        } catch (Exception e) {
            System.err.println("fleet-scale: " + e.getMessage());
            e.printStackTrace();
            exit = 1;
        }
        System.exit(exit);
    }

    /** Runs once, writes the report and the plot, prints the head of the report. */
    public static FleetScaleResult runAndReport(FleetScaleOptions options, Path operatorJar, String command) throws Exception {
        Path logFile = routeAgentLogs(options);
        System.out.println("fleet-scale: virtual agents log to " + logFile);
        FleetScaleResult r = new FleetScaleRun(options, operatorJar, s -> System.out.println("fleet-scale: " + s)).run();
        List<String> lines = ScaleReport.lines(r, command, git());
        ScaleReport.write(options.out(), lines);
        Path png = options.out().resolveSibling(options.out().getFileName().toString().replaceFirst("\\.txt$", "") + ".png");
        PhasePlot.write(r, png);
        lines.stream().takeWhile(l -> !l.startsWith("# API requests in the idle")).forEach(System.out::println);
        System.out.println("fleet-scale: report " + options.out() + ", plot " + png);
        return r;
    }

    /** Thousands of agents' INFO lines go to a file in the work directory, not to the console. */
    private static Path routeAgentLogs(FleetScaleOptions options) throws IOException {
        java.nio.file.Files.createDirectories(options.out().toAbsolutePath().getParent());
        Path file = options.out().resolveSibling(options.out().getFileName().toString().replaceFirst("\\.txt$", "") + "-agents.log");
        Logger root = Logger.getLogger("");
        for (var h : root.getHandlers()) {
            root.removeHandler(h);
        }
        FileHandler handler = new FileHandler(file.toString(), false);
        handler.setFormatter(new SimpleFormatter());
        handler.setLevel(Level.INFO);
        root.addHandler(handler);
        root.setLevel(Level.INFO);
        return file;
    }

    static String commandLine(FleetScaleOptions o) {
        StringBuilder sb = new StringBuilder("mvn -B -q -pl fleet-scale compile exec:java");
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("fleet.")).sorted()
                .forEach(k -> sb.append(" -D").append(k).append('=').append(System.getProperty(k)));
        return sb.toString();
    }

    static String git() {
        try {
            Process p = new ProcessBuilder("git", "describe", "--always", "--dirty").directory(RepoLayout.locate().root().toFile())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return out;
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
