package dev.ayb.matviews.servlet.reliability;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.ayb.matviews.testkit.http.Reply;
import dev.ayb.matviews.testkit.reliability.Figures;
import dev.ayb.matviews.testkit.reliability.HostileStrings.Hostile;
import dev.ayb.matviews.testkit.reliability.HostileStrings;
import dev.ayb.matviews.testkit.reliability.RecordingDataSource;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One place where request text enters the API — a path segment, a query parameter, a body field — and what
 * an answer to a hostile value there may be. {@link #probe} sends every input through every door and collects
 * what broke a property (a 5xx, an unclear refusal, an acceptance where none is possible, caller text in SQL).
 * Doors of one input run concurrently, so a door must not depend on what another does with the same input.
 *
 * @param name       names the door in a failure
 * @param request    the request carrying a value there
 * @param accepts    whether a 2xx can be right (the value may be a legitimate one, e.g. "public.leaderboard")
 * @param onAccepted checks a 2xx answer and undoes what it did; returns a problem, or null
 * @param pathSegment whether the value is a path segment (an empty one addresses another route, so it is skipped)
 * @param runsAlone  whether it must not run beside the other doors of the same input (it creates something they
 *                   could find by the same text)
 */
record Door(String name, BiFunction<Api, String, HttpRequest> request, boolean accepts,
            BiFunction<String, Reply, String> onAccepted, boolean pathSegment, boolean runsAlone) {
    /** Non-ASCII as {@code \\uXXXX} escapes, so even an unpaired surrogate reaches the server as sent. */
    private static final ObjectMapper MAPPER = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

    static Door refusing(String name, BiFunction<Api, String, HttpRequest> request) {
        return new Door(name, request, false, (input, reply) -> null, false, false);
    }

    static Door accepting(String name, BiFunction<Api, String, HttpRequest> request) {
        return new Door(name, request, true, (input, reply) -> null, false, false);
    }

    static Door accepting(String name, BiFunction<Api, String, HttpRequest> request,
                          BiFunction<String, Reply, String> onAccepted) {
        return new Door(name, request, true, onAccepted, false, false);
    }

    /** The same door, for a value that goes into the path. */
    Door inPath() {
        return new Door(name, request, accepts, onAccepted, true, runsAlone);
    }

    /** The same door, run after the others of the same input rather than beside them. */
    Door alone() {
        return new Door(name, request, accepts, onAccepted, pathSegment, true);
    }

    /** A path segment: percent-encoded; {@code .} and {@code ..} too, which clients would otherwise resolve away. */
    static String segment(String text) {
        String encoded = Api.encode(text);
        return encoded.equals(".") || encoded.equals("..") ? encoded.replace(".", "%2E") : encoded;
    }

    /** A JSON object, every value properly escaped by Jackson (the hostile text arrives intact). */
    static String json(Map<String, ?> fields) {
        try {
            return MAPPER.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs every input through every door — the doors of one input at once, as concurrent clients would — and
     * returns the violations found (empty when all held). Caller text in SQL is looked for afterwards in every
     * statement recorded during the run: each input's marker is its own, so no statement can be attributed to
     * the wrong input.
     */
    static List<String> probe(Api api, RecordingDataSource recorder, List<Hostile> inputs, List<Door> doors,
                              Function<Reply, String> extraCheck) {
        List<String> violations = new ArrayList<>();
        long tried = 0;
        recorder.clear();
        for (Hostile input : inputs) {
            List<Door> open = doors.stream().filter(door -> !(door.pathSegment() && input.text().isEmpty())).toList();
            List<Door> order = new ArrayList<>(open.stream().filter(door -> !door.runsAlone()).toList());
            List<CompletableFuture<Reply>> replies = new ArrayList<>();
            for (Door door : order) {
                replies.add(api.sendAsync(door.request().apply(api, input.text())));
            }
            for (Door door : open.stream().filter(Door::runsAlone).toList()) {
                CompletableFuture<Reply> previous = replies.isEmpty() ? CompletableFuture.completedFuture(null)
                        : CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).thenApply(done -> null);
                order.add(door);
                replies.add(previous.thenCompose(done -> api.sendAsync(door.request().apply(api, input.text()))));
            }
            for (int i = 0; i < order.size(); i++) {
                tried++;
                Door door = order.get(i);
                Reply reply;
                try {
                    reply = replies.get(i).get(Api.TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                } catch (ExecutionException e) {
                    // Jetty closes the connection after refusing a malformed request line (e.g. %00 in the path);
                    // a request the client had just put on that connection is lost in transit. Sent again alone.
                    try {
                        reply = api.send(door.request().apply(api, input.text()));
                    } catch (RuntimeException | AssertionError again) {
                        violations.add(door.name() + " " + input + ": no answer: " + again);
                        continue;
                    }
                } catch (TimeoutException e) {
                    violations.add(door.name() + " " + input + ": no answer: " + e);
                    continue;
                }
                String problem;
                if (reply.status() >= 200 && reply.status() < 300) {
                    problem = door.accepts() ? door.onAccepted().apply(input.text(), reply)
                            : "accepted (" + reply + ") where it must be refused";
                } else {
                    problem = reply.refusalProblem();
                }
                if (problem == null) {
                    problem = extraCheck.apply(reply);
                }
                if (problem != null) {
                    violations.add(door.name() + " " + input + ": " + problem + " -- " + reply);
                }
            }
        }
        List<String> statements = recorder.statements();
        for (Hostile input : inputs) {
            if (input.forbiddenInSql() != null) {
                statements.stream().filter(sql -> sql.contains(input.forbiddenInSql())).findFirst()
                        .ifPresent(sql -> violations.add(input + " reached SQL text: " + sql));
            }
        }
        Figures.inputs(tried);
        return violations;
    }
}
