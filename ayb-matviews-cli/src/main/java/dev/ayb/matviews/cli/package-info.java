/**
 * The {@code ayb} command-line tool: picocli commands over the library's API, text and {@code --json} output,
 * and the exit codes scripts rely on. Start at {@link dev.ayb.matviews.cli.AybCli}. Not API: the tool's
 * commands, options, output and exit codes are its interface, its classes may change in any release.
 */
@NullMarked
package dev.ayb.matviews.cli;

import org.jspecify.annotations.NullMarked;
