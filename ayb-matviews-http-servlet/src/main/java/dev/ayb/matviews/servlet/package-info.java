/**
 * The admin HTTP API as one Jakarta Servlet: mount {@link dev.ayb.matviews.servlet.AybAdminServlet} in the
 * host's webapp and protect it with an {@link dev.ayb.matviews.servlet.AdminAuthenticator}.
 */
@NullMarked
package dev.ayb.matviews.servlet;

import org.jspecify.annotations.NullMarked;
