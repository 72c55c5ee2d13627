/**
 * An HTTP client for the admin and collections API that speaks only HTTP ({@code java.net.http}, Jackson for
 * JSON), so the testkit needs no servlet container: the tests that mount the servlet start their own server and
 * point an {@link dev.ayb.matviews.testkit.http.AdminClient} at it.
 *
 * <ul>
 *   <li>{@link dev.ayb.matviews.testkit.http.AdminClient}: requests with the admin bearer token, or without.</li>
 *   <li>{@link dev.ayb.matviews.testkit.http.RawHttp}: one request written byte for byte on its own connection.</li>
 *   <li>{@link dev.ayb.matviews.testkit.http.Reply}: an answer, with the API's error shape read from its body.</li>
 * </ul>
 */
@NullMarked
package dev.ayb.matviews.testkit.http;

import org.jspecify.annotations.NullMarked;
