package dev.liveupdate.kubectl;

import dev.liveupdate.api.v1alpha1.ApiDurations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Durations as the API writes them (90s, 10m, 1h30m); anything else is a usage error. */
final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            return ApiDurations.parse(value, null);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("'" + value + "' is not a duration (e.g. 90s, 10m, 1h30m)");
        }
    }
}
