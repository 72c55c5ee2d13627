package dev.ayb.matviews.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line into arguments as {@code sh} does for the cases the docs use: blanks separate
 * words, single quotes keep everything literally, double quotes keep blanks, a backslash escapes the
 * next character and a backslash before a newline continues the line. Lets a test quote the seed's
 * examples exactly as written.
 */
final class ShellWords {
    private ShellWords() {
    }

    static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                char next = line.charAt(++i);
                if (next != '\n') {
                    word.append(next);
                    inWord = true;
                }
            } else if (c == '\'') {
                int end = closing(line, i, '\'');
                word.append(line, i + 1, end);
                inWord = true;
                i = end;
            } else if (c == '"') {
                int end = closing(line, i, '"');
                word.append(line, i + 1, end);
                inWord = true;
                i = end;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    private static int closing(String line, int open, char quote) {
        int end = line.indexOf(quote, open + 1);
        if (end < 0) {
            throw new IllegalArgumentException("unclosed " + quote + " in: " + line);
        }
        return end;
    }
}
