/**
 * The servlet's parts: routing, request parsing, JSON mapping, error mapping. Not API: anything here may
 * change in any release.
 */
package dev.ayb.matviews.servlet.internal;
