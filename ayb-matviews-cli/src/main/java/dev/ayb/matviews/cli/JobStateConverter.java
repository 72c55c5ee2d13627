package dev.ayb.matviews.cli;

import dev.ayb.matviews.jobs.JobState;
import java.util.Arrays;
import java.util.Iterator;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --state queued|running|completed|failed|canceled}: the wire names, as the HTTP API's filter. */
final class JobStateConverter implements ITypeConverter<JobState> {
    @Override
    public JobState convert(String text) {
        try {
            return JobState.fromWire(text);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("state must be one of " + Names.joined());
        }
    }

    /** For completion and the help. */
    static final class Names implements Iterable<String> {
        static String joined() {
            return Arrays.stream(JobState.values()).map(JobState::wireName).collect(Collectors.joining(", "));
        }

        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(JobState.values()).map(JobState::wireName).iterator();
        }
    }
}
