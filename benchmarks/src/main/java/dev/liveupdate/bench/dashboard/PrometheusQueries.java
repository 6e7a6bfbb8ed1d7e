package dev.liveupdate.bench.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Instant and range queries against a Prometheus server's HTTP API (/api/v1/query, /api/v1/query_range). */
final class PrometheusQueries {
    /** One series: its labels and its samples (epoch seconds, value). */
    record Series(Map<String, String> labels, List<double[]> samples) {
        double last() {
            return samples.isEmpty() ? Double.NaN : samples.get(samples.size() - 1)[1];
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final String base;

    PrometheusQueries(String base) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    List<Series> instant(String expr, long at) throws IOException, InterruptedException {
        return series(get("/api/v1/query?query=" + enc(expr) + "&time=" + at));
    }

    List<Series> range(String expr, long from, long to, long step) throws IOException, InterruptedException {
        return series(get("/api/v1/query_range?query=" + enc(expr) + "&start=" + from + "&end=" + to + "&step=" + step));
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = json.readTree(r.body());
        if (r.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
            throw new IOException("Prometheus refused " + path + ": " + r.statusCode() + " " + body.path("error").asText(r.body()));
        }
        return body.path("data");
    }

    private static List<Series> series(JsonNode data) {
        List<Series> out = new ArrayList<>();
        for (JsonNode s : data.path("result")) {
            Map<String, String> labels = new LinkedHashMap<>();
            s.path("metric").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
            List<double[]> samples = new ArrayList<>();
            if (s.has("values")) {
                s.get("values").forEach(v -> samples.add(new double[] {v.get(0).asDouble(), parse(v.get(1).asText())}));
            } else if (s.has("value")) {
                samples.add(new double[] {s.get("value").get(0).asDouble(), parse(s.get("value").get(1).asText())});
            }
            out.add(new Series(labels, samples));
        }
        return out;
    }

    private static double parse(String v) {
        return switch (v) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(v);
        };
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
