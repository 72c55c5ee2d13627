package dev.ayb.matviews.testkit.reliability;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Records the text of every SQL statement sent through it — what is prepared, executed or batched — but never
 * the values bound to parameters. The hostile-input tests hand the library this data source and then check
 * that no caller text ever became part of a statement's text.
 *
 * <p>It also counts round trips: each {@code execute*} call is one (a JDBC batch is sent as one), and so is
 * each {@code commit}, {@code rollback} and {@code isValid}. Placed under a pool (the pool's connections
 * come from it), it also sees what the pool itself sends, such as the validation of a connection borrowed
 * after a pause.
 */
public final class RecordingDataSource extends ForwardingDataSource {
    private final Queue<String> statements = new ConcurrentLinkedQueue<>();
    private final LongAdder executions = new LongAdder();
    private final LongAdder otherRoundTrips = new LongAdder();

    public RecordingDataSource(DataSource delegate) {
        super(delegate);
    }

    /** Every statement text recorded since the last {@link #clear()}. */
    public List<String> statements() {
        return List.copyOf(statements);
    }

    public void clear() {
        statements.clear();
    }

    /** Statements executed since this data source was made; {@link #clear()} does not reset it. */
    public long executions() {
        return executions.sum();
    }

    /** Commits, rollbacks and connection validations since this data source was made. */
    public long otherRoundTrips() {
        return otherRoundTrips.sum();
    }

    /** The first recorded statement containing {@code text}, or null. */
    public @Nullable String firstContaining(String text) {
        for (String sql : statements) {
            if (sql.contains(text)) {
                return sql;
            }
        }
        return null;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return wrap(delegate().getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return wrap(delegate().getConnection(username, password));
    }

    private Connection wrap(Connection connection) {
        InvocationHandler handler = (proxy, method, args) -> {
            String name = method.getName();
            if (name.equals("commit") || name.equals("rollback") || name.equals("isValid")) {
                otherRoundTrips.increment();
            }
            Object result = invoke(connection, method, args);
            if (result instanceof Statement statement) {
                String prepared = args != null && args.length > 0 && args[0] instanceof String sql ? sql : null;
                return wrap(statement, prepared);
            }
            return result;
        };
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                handler);
    }

    /**
     * One entry per execution (the prepared text, or the text passed to execute), so the list both shows
     * every text sent and counts round trips; PostgreSQL's driver sends nothing before execution.
     */
    private Statement wrap(Statement statement, String preparedSql) {
        Class<?> type = statement instanceof CallableStatement ? CallableStatement.class
                : statement instanceof PreparedStatement ? PreparedStatement.class : Statement.class;
        InvocationHandler handler = (proxy, method, args) -> {
            String name = method.getName();
            boolean withText = args != null && args.length > 0 && args[0] instanceof String;
            if (name.startsWith("execute")) {
                executions.increment();
            }
            if (name.startsWith("execute") || (name.equals("addBatch") && withText)) {
                String sql = withText ? (String) args[0] : preparedSql;
                if (sql != null) {
                    statements.add(sql);
                }
            }
            return invoke(statement, method, args);
        };
        return (Statement) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, handler);
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
