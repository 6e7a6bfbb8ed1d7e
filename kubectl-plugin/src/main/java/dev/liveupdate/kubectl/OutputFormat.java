package dev.liveupdate.kubectl;

/** -o: a table (tree) for people, JSON for pipelines. */
public enum OutputFormat {
    table, json
}
