package dev.ayb.matviews.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.PropertiesDefaultProvider;

/**
 * Where an option not typed on the command line gets its value: the environment first (for the connection
 * options that have a variable), then the properties file of {@code --config}, or {@code ~/.ayb/cli.properties}
 * when it exists. A key is an option's name without its dashes ({@code database-url=jdbc:postgresql://...},
 * {@code no-migrate=true}), the way picocli's {@link PropertiesDefaultProvider} reads it.
 */
final class SettingsDefaults implements IDefaultValueProvider {
    static final String CONFIG_OPTION = "--config";
    /** Under the home directory; read only when it exists. */
    static final Path DEFAULT_CONFIG = Path.of(".ayb", "cli.properties");

    /** The environment variable that overrides the file for an option, by the option's longest name. */
    private static final Map<String, String> VARIABLES = Map.of(
            "--database-url", ConnectionSettings.URL_VARIABLE,
            "--user", ConnectionSettings.USER_VARIABLE,
            "--password", ConnectionSettings.PASSWORD_VARIABLE,
            "--ayb-schema", ConnectionSettings.SCHEMA_VARIABLE,
            "--change-capture", ConnectionSettings.CAPTURE_VARIABLE);

    private final Map<String, String> environment;
    private final IDefaultValueProvider file;

    private SettingsDefaults(Map<String, String> environment, Properties file) {
        this.environment = environment;
        this.file = new PropertiesDefaultProvider(file);
    }

    /**
     * Reads the file named by {@code --config} in {@code args}, else the default one if it exists.
     *
     * @throws CliFailure a usage error when the file named cannot be read
     */
    static SettingsDefaults load(List<String> args, Map<String, String> environment) {
        @Nullable String named = configArgument(args);
        if (named != null) {
            return new SettingsDefaults(environment, read(Path.of(named)));
        }
        @Nullable Path home = home(environment);
        Path fallback = home == null ? null : home.resolve(DEFAULT_CONFIG);
        return new SettingsDefaults(environment,
                fallback != null && Files.isRegularFile(fallback) ? read(fallback) : new Properties());
    }

    @Override
    public @Nullable String defaultValue(ArgSpec argSpec) throws Exception {
        if (argSpec instanceof OptionSpec option) {
            String variable = VARIABLES.get(option.longestName());
            String value = variable == null ? null : environment.get(variable);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return file.defaultValue(argSpec);
    }

    /** Found before picocli parses, since the defaults must be known when it starts. */
    private static @Nullable String configArgument(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                return null;
            }
            if (arg.equals(CONFIG_OPTION) && i + 1 < args.size()) {
                return args.get(i + 1);
            }
            if (arg.startsWith(CONFIG_OPTION + "=")) {
                return arg.substring(CONFIG_OPTION.length() + 1);
            }
        }
        return null;
    }

    private static @Nullable Path home(Map<String, String> environment) {
        for (String variable : new String[] {"HOME", "USERPROFILE"}) {
            String value = environment.get(variable);
            if (value != null && !value.isBlank()) {
                return Path.of(value);
            }
        }
        return null;
    }

    private static Properties read(Path path) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            throw CliFailure.usage("cannot read the config file " + path + ": no such file");
        } catch (IOException | IllegalArgumentException e) {
            throw CliFailure.usage("cannot read the config file " + path + ": " + e.getMessage());
        }
        return properties;
    }
}
