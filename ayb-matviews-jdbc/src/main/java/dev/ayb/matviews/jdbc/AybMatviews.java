package dev.ayb.matviews.jdbc;

import dev.ayb.matviews.EventDelivery;
import dev.ayb.matviews.FreshnessService;
import dev.ayb.matviews.IdentifierValidator;
import dev.ayb.matviews.MatviewHealth;
import dev.ayb.matviews.MatviewRegistry;
import dev.ayb.matviews.RefreshEvents;
import dev.ayb.matviews.RefreshListener;
import dev.ayb.matviews.RefreshService;
import dev.ayb.matviews.RefreshTimeouts;
import dev.ayb.matviews.jdbc.internal.AdvisoryRefreshLocks;
import dev.ayb.matviews.jdbc.internal.JdbcMatviewCatalog;
import dev.ayb.matviews.jdbc.internal.JdbcRegistrationStore;
import dev.ayb.matviews.jdbc.internal.events.EventHub;
import dev.ayb.matviews.jdbc.support.LibrarySchema;
import dev.ayb.matviews.jdbc.internal.SchemaMigrator;
import dev.ayb.matviews.jdbc.internal.tracking.PgChangeTracker;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The entry point: materialized-view management on a PostgreSQL {@link DataSource}.
 *
 * <pre>{@code
 * AybMatviews matviews = AybMatviews.builder().dataSource(dataSource).build();
 * matviews.registry().register(QualifiedName.parse("public.leaderboard"), RefreshMode.CONCURRENT);
 * RefreshResult result = matviews.refreshes().refresh("public.leaderboard");
 * }</pre>
 *
 * <p>Building it applies the library's pending migrations (with {@code migrate(false)}: checks that its tables
 * exist) and nothing else: no thread is started, and every call borrows a connection for its own duration and
 * commits what it did, whether the pool lends connections with autocommit on or off. The instance is thread-safe and
 * holds no resource of its own, so there is nothing to close; the data source stays the host's.
 */
public final class AybMatviews {
    /** Schema of the library's own tables. */
    public static final String DEFAULT_SCHEMA = "ayb";
    /** First key of every advisory lock the library takes: the bytes of "ayb". */
    public static final int DEFAULT_LOCK_NAMESPACE = 0x00617962;
    /** Refresh runs kept per view; older ones are deleted as new ones are recorded. */
    public static final int DEFAULT_HISTORY_RETENTION = 100;
    /** How often events are polled (and checked for at the latest when listening), unless the host chooses. */
    public static final Duration DEFAULT_EVENT_POLL_INTERVAL = Duration.ofSeconds(1);

    private final MatviewRegistry registry;
    private final JdbcRegistrationStore store;
    private final RefreshService refreshes;
    private final FreshnessService freshness;
    private final MatviewHealth health;
    private final DataSource dataSource;
    private final String schema;
    private final Clock clock;
    private final int lockNamespace;
    private final AdvisoryLockMode lockMode;
    private final RefreshTimeouts defaultTimeouts;
    private final RefreshListener listener;
    private final EventHub events;
    private final Duration eventPollInterval;
    private final ChangeCapture changeCapture;

    private AybMatviews(Builder builder) {
        LibrarySchema librarySchema = new LibrarySchema(builder.schema);
        SchemaMigrator migrator = new SchemaMigrator(builder.dataSource, librarySchema, builder.lockNamespace);
        if (builder.migrate) {
            migrator.migrate();
        } else {
            migrator.requireTables();
        }
        this.dataSource = builder.dataSource;
        this.schema = builder.schema;
        this.clock = builder.clock;
        this.lockNamespace = builder.lockNamespace;
        this.changeCapture = builder.changeCapture;
        this.lockMode = builder.lockMode;
        this.defaultTimeouts = builder.defaultTimeouts;
        this.listener = RefreshListener.allOf(builder.listeners);
        this.store = new JdbcRegistrationStore(builder.dataSource, librarySchema, builder.historyRetention);
        this.registry = new MatviewRegistry(store, new JdbcMatviewCatalog(builder.dataSource),
                new PgChangeTracker(builder.dataSource, librarySchema, builder.changeCapture, builder.lockNamespace),
                builder.clock);
        this.refreshes = refreshes(UnaryOperator.identity());
        this.freshness = new FreshnessService(registry);
        this.health = new MatviewHealth(registry, MatviewHealth.behindSince(freshness), builder.clock,
                builder.healthBehindThreshold);
        this.eventPollInterval = builder.eventPollInterval;
        this.events = new EventHub(builder.dataSource,
                builder.eventDataSource == null ? builder.dataSource : builder.eventDataSource, librarySchema,
                registry, freshness, builder.eventDelivery, builder.eventPollInterval);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Register, look up, list, update and unregister views; read history; discover views. */
    public MatviewRegistry registry() {
        return registry;
    }

    /**
     * Whether views are behind their base tables: {@code freshness().of(ref)}, {@code ofAll()} by registration id
     * (one query for all), and {@code sources(ref)}, the base tables a tracked view reads. Turn tracking on with
     * {@code registry().updateChangeTracking(ref, true)} or register with {@code changeTracking} true.
     */
    public FreshnessService freshness() {
        return freshness;
    }

    /**
     * Whether any registered view is failing (its last refresh failed) or has been behind its sources for
     * longer than {@link Builder#healthBehindThreshold(Duration)}; what {@code GET /api/admin/health} and
     * {@code ayb matviews status} report.
     */
    public MatviewHealth health() {
        return health;
    }

    /**
     * Refresh outcomes recorded by any instance sharing the database, and {@code behind} events of tracked
     * views: {@code events().subscribe(view, event -> ...)} until the subscription is closed, and
     * {@code replay(afterId, view, limit)} from the history. Delivery follows
     * {@link Builder#eventDelivery(EventDelivery)}; nothing runs while no subscription is open.
     */
    public RefreshEvents events() {
        return events;
    }

    /** How often events are polled, as given to {@link Builder#eventPollInterval(Duration)} (or the default). */
    public Duration eventPollInterval() {
        return eventPollInterval;
    }

    /** How events reach this instance at the moment: {@code LISTEN} or {@code POLL}. */
    public EventDelivery activeEventDelivery() {
        return events.activeDelivery();
    }

    /** Refresh registered views. */
    public RefreshService refreshes() {
        return refreshes;
    }

    /**
     * Another view of {@link #refreshes()}: the same registry, store, lock settings, timeouts and listener, but
     * the refreshes' lock and refresh connections are borrowed through {@code connections} applied to this
     * instance's data source. It exists for the job runner (module {@code ayb-matviews-jobs}), which wraps
     * the data source so that, when it shuts down, it can cancel on the server the SQL of a refresh a job started; the
     * wrapper must hand out the data source's own connections (or proxies of them), never other ones.
     * Refreshes through either view exclude each other as usual: the advisory locks are the database's.
     */
    public RefreshService refreshes(UnaryOperator<DataSource> connections) {
        DataSource lockConnections = Objects.requireNonNull(connections.apply(dataSource), "connections");
        return new RefreshService(registry, store, new AdvisoryRefreshLocks(lockConnections, store, lockNamespace,
                lockMode == AdvisoryLockMode.TRANSACTION), clock, defaultTimeouts, listener);
    }

    /**
     * The data source given to the builder (later components, such as the scheduler in {@code ayb-matviews-jobs},
     * share it).
     */
    public DataSource dataSource() {
        return dataSource;
    }

    /** The schema holding the library's tables. */
    public String schema() {
        return schema;
    }

    public Clock clock() {
        return clock;
    }

    /** The first key of the library's advisory locks, as given to {@link Builder#lockNamespace(int)}. */
    public int lockNamespace() {
        return lockNamespace;
    }

    /** How this instance captures the writes of tables it starts tracking, as given to the builder. */
    public ChangeCapture changeCapture() {
        return changeCapture;
    }

    /** Options, each set at most once; {@link #dataSource} is the only one required. */
    public static final class Builder {
        private @Nullable DataSource dataSource;
        private String schema = DEFAULT_SCHEMA;
        private Clock clock = Clock.systemUTC();
        private AdvisoryLockMode lockMode = AdvisoryLockMode.SESSION;
        private int lockNamespace = DEFAULT_LOCK_NAMESPACE;
        private RefreshTimeouts defaultTimeouts = RefreshTimeouts.NONE;
        private int historyRetention = DEFAULT_HISTORY_RETENTION;
        private final List<RefreshListener> listeners = new ArrayList<>();
        private boolean migrate = true;
        private Duration healthBehindThreshold = MatviewHealth.DEFAULT_BEHIND_THRESHOLD;
        private EventDelivery eventDelivery = EventDelivery.AUTO;
        private Duration eventPollInterval = DEFAULT_EVENT_POLL_INTERVAL;
        private @Nullable DataSource eventDataSource;
        private ChangeCapture changeCapture = ChangeCapture.TRIGGERS;

        private Builder() {
        }

        /**
         * How the writes of the tables a view reads are captured when this instance turns its tracking on (default
         * {@link ChangeCapture#TRIGGERS}). {@link ChangeCapture#WAL} reads them from the write-ahead log, at no cost
         * per statement to writers; it needs {@code wal_level = logical} and a role with {@code REPLICATION} that
         * owns the tables. Whatever the setting, every instance reads the freshness of views captured either way.
         */
        public Builder changeCapture(ChangeCapture changeCapture) {
            this.changeCapture = Objects.requireNonNull(changeCapture, "changeCapture");
            return this;
        }

        /** The PostgreSQL database holding the views; any pool or plain data source. */
        public Builder dataSource(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            return this;
        }

        /** Schema for the library's own tables (default {@value #DEFAULT_SCHEMA}); created if missing. */
        public Builder schema(String schema) {
            this.schema = IdentifierValidator.validate(schema);
            return this;
        }

        /**
         * Source of the timestamps the library records about registrations and refreshes (default: the system
         * clock in UTC). The job queue ({@code ayb-matviews-jobs}) does not use it: leases, due ticks and job
         * times follow the database's clock (see {@code JobOptions.coordinationClock()}), so that instances whose
         * clocks drift still agree.
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder lockMode(AdvisoryLockMode lockMode) {
            this.lockMode = Objects.requireNonNull(lockMode, "lockMode");
            return this;
        }

        /**
         * First key of the library's advisory locks (default {@link #DEFAULT_LOCK_NAMESPACE}). Change it
         * only if the host application already uses that key; every instance must use the same value.
         */
        public Builder lockNamespace(int lockNamespace) {
            this.lockNamespace = lockNamespace;
            return this;
        }

        /** {@code lock_timeout} for refreshes of views that set none of their own (default: none). */
        public Builder defaultLockTimeout(Duration lockTimeout) {
            this.defaultTimeouts = new RefreshTimeouts(lockTimeout, defaultTimeouts.statementTimeout());
            return this;
        }

        /** {@code statement_timeout} for refreshes of views that set none of their own (default: none). */
        public Builder defaultStatementTimeout(Duration statementTimeout) {
            this.defaultTimeouts = new RefreshTimeouts(defaultTimeouts.lockTimeout(), statementTimeout);
            return this;
        }

        /** Refresh runs kept per view (default {@value #DEFAULT_HISTORY_RETENTION}, at least 1). */
        public Builder historyRetention(int runsPerView) {
            if (runsPerView < 1) {
                throw new IllegalArgumentException("historyRetention must be at least 1");
            }
            this.historyRetention = runsPerView;
            return this;
        }

        /**
         * Adds a listener told of every refresh (started, finished, skipped, rejected), such as the metrics of
         * {@code ayb-matviews-micrometer}. Each call adds one; they are told in the order added, and one that throws
         * is logged without keeping the others from being told.
         */
        public Builder listener(RefreshListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** Adds each of {@code listeners}, as {@link #listener(RefreshListener)} does. */
        public Builder listeners(RefreshListener... listeners) {
            for (RefreshListener listener : listeners) {
                listener(listener);
            }
            return this;
        }

        /**
         * Whether {@link #build()} applies the library's migrations (default true). Turn it off when
         * Flyway or Liquibase runs the SQL files from {@code db/ayb-matviews/} instead; {@link #build()} then
         * only checks that the library's tables exist, and fails naming the missing ones.
         *
         * <p>When on, {@link #build()} first reads {@code schema_history} and changes nothing (takes no lock,
         * runs no DDL) if the database is up to date, so a role without {@code CREATE} privileges can use it;
         * it fails with {@code database schema is newer than this library: V<n> > V<m>} when the database was
         * migrated by a newer version of the library.
         */
        public Builder migrate(boolean migrate) {
            this.migrate = migrate;
            return this;
        }

        /**
         * How long a view may stay behind its sources before {@link #health()} reports it unhealthy (default
         * {@link MatviewHealth#DEFAULT_BEHIND_THRESHOLD}, one hour; zero: as soon as it is behind).
         *
         * @throws IllegalArgumentException for a negative threshold
         */
        public Builder healthBehindThreshold(Duration threshold) {
            this.healthBehindThreshold = MatviewHealth.validThreshold(threshold);
            return this;
        }

        /**
         * How other instances' events reach this one: {@link EventDelivery#AUTO} (the default) listens when
         * notifications reach the data source's connections and polls the history otherwise.
         */
        public Builder eventDelivery(EventDelivery delivery) {
            this.eventDelivery = Objects.requireNonNull(delivery, "delivery");
            return this;
        }

        /**
         * How often the history is read when polling, and at the latest when listening (default 1 s); also how
         * often tracked views' freshness is checked for {@code behind} events.
         */
        public Builder eventPollInterval(Duration interval) {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("eventPollInterval must be positive");
            }
            this.eventPollInterval = interval;
            return this;
        }

        /**
         * Where the one listening connection comes from (default: {@link #dataSource}). It is held for as long as
         * a subscription is open, so a host whose pool is small, or whose pool goes through a transaction-pooling
         * proxy, may give a data source of its own that reaches PostgreSQL directly.
         */
        public Builder eventDataSource(DataSource eventDataSource) {
            this.eventDataSource = Objects.requireNonNull(eventDataSource, "eventDataSource");
            return this;
        }

        public AybMatviews build() {
            if (dataSource == null) {
                throw new IllegalStateException("dataSource is required");
            }
            return new AybMatviews(this);
        }
    }
}

