package dev.ayb.matviews.jobs.internal;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Lets the job runner stop a job's SQL on the server when it shuts down. A thread inside {@link #enter()}
 * gets connections that remember every statement they create; {@link Scope#cancel()} then calls
 * {@link Statement#cancel()} on them, which cancels the one executing (the driver ignores statements that
 * are not), and only that one: never another thread's query on a connection since returned to the pool.
 * Threads outside a scope get the pool's connections as they are.
 */
public final class CancellableStatements {
    private final ThreadLocal<Scope> current = new ThreadLocal<>();

    /** The statements the calling thread creates until the scope is closed. */
    public Scope enter() {
        Scope scope = new Scope();
        current.set(scope);
        return scope;
    }

    /** {@code dataSource}, with the statements of threads inside a scope remembered. */
    public DataSource track(DataSource dataSource) {
        return new TrackingDataSource(dataSource);
    }

    /** One job's statements. */
    public final class Scope implements AutoCloseable {
        private final List<Statement> statements = new CopyOnWriteArrayList<>();

        /** Cancels whichever of this job's statements is executing; true when there was one to try. */
        public boolean cancel() {
            for (Statement statement : statements) {
                try {
                    statement.cancel();
                } catch (SQLException e) {
                    // Closed, or its connection is gone: nothing of it runs on the server any more.
                }
            }
            return !statements.isEmpty();
        }

        @Override
        public void close() {
            current.remove();
            statements.clear();
        }
    }

    private final class TrackingDataSource implements DataSource {
        private final DataSource delegate;

        TrackingDataSource(DataSource delegate) {
            this.delegate = delegate;
        }

        @Override
        public Connection getConnection() throws SQLException {
            return tracked(delegate.getConnection());
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return tracked(delegate.getConnection(username, password));
        }

        private Connection tracked(Connection connection) {
            Scope scope = current.get();
            if (scope == null) {
                return connection;
            }
            InvocationHandler handler = (proxy, method, args) -> {
                Object answer;
                try {
                    answer = method.invoke(connection, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
                if (answer instanceof Statement statement) {
                    scope.statements.add(statement);
                }
                return answer;
            };
            return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                    new Class<?>[] {Connection.class}, handler);
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return delegate.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            delegate.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            delegate.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return delegate.getLoginTimeout();
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            return delegate.getParentLogger();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            return iface.isInstance(this) ? iface.cast(this) : delegate.unwrap(iface);
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) throws SQLException {
            return iface.isInstance(this) || delegate.isWrapperFor(iface);
        }
    }
}
