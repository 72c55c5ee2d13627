package dev.ayb.matviews.benchmarks;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source that counts what its connections send to PostgreSQL. It sits <em>under</em> the pool (the
 * pool's connections come from it), so it sees the library's statements and also what the pool itself
 * sends: the validation of a connection borrowed after a pause, a rollback on return. Those are real round
 * trips that a counter above the pool would miss.
 *
 * <p>Statements are every {@code execute*} call (a JDBC batch is sent as one round trip and counted once);
 * other round trips are {@code commit}, {@code rollback} and {@code isValid}. Counting costs a reflective
 * call per method, so the timed figures use pools without it.
 */
final class RoundTripCounter implements DataSource {
    private final DataSource driver;
    private final LongAdder statements = new LongAdder();
    private final LongAdder otherRoundTrips = new LongAdder();
    private final List<String> recorded = new CopyOnWriteArrayList<>();
    private volatile boolean recording;

    RoundTripCounter(DataSource driver) {
        this.driver = driver;
    }

    long statements() {
        return statements.sum();
    }

    /** Commits, rollbacks and connection validations. */
    long otherRoundTrips() {
        return otherRoundTrips.sum();
    }

    /** Starts keeping the text of each statement, from empty. */
    void record() {
        recorded.clear();
        recording = true;
    }

    List<String> stopRecording() {
        recording = false;
        return List.copyOf(recorded);
    }

    @Override
    public Connection getConnection() throws SQLException {
        return counted(driver.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return counted(driver.getConnection(username, password));
    }

    private Connection counted(Connection connection) {
        InvocationHandler handler = (proxy, method, args) -> {
            String name = method.getName();
            if (name.equals("commit") || name.equals("rollback") || name.equals("isValid")) {
                otherRoundTrips.increment();
                note(name.toUpperCase(java.util.Locale.ROOT));
            }
            Object result = invoke(connection, method, args);
            if (result instanceof Statement statement) {
                String sql = args != null && args.length > 0 && args[0] instanceof String text ? text : null;
                return counted(statement, sql);
            }
            return result;
        };
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                handler);
    }

    private Statement counted(Statement statement, String preparedSql) {
        Class<?> type = statement instanceof CallableStatement ? CallableStatement.class
                : statement instanceof PreparedStatement ? PreparedStatement.class : Statement.class;
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().startsWith("execute")) {
                statements.increment();
                note(args != null && args.length > 0 && args[0] instanceof String sql ? sql : preparedSql);
            }
            return invoke(statement, method, args);
        };
        return (Statement) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, handler);
    }

    private void note(String sql) {
        if (recording) {
            recorded.add(sql);
        }
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return driver.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        driver.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        driver.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return driver.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return driver.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return driver.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return driver.isWrapperFor(iface);
    }
}
