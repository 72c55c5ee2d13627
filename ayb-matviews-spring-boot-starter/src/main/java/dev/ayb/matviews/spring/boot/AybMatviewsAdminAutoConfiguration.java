package dev.ayb.matviews.spring.boot;

import dev.ayb.matviews.collections.ReadReplica;
import dev.ayb.matviews.jobs.AybJobs;
import dev.ayb.matviews.servlet.AdminAuthenticator;
import dev.ayb.matviews.servlet.AybAdminServlet;
import dev.ayb.matviews.servlet.CollectionAccess;
import java.util.List;
import java.util.Objects;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * The admin HTTP API, the collections read API and the dashboard, as one servlet, in a servlet web application
 * whose admins can be told apart: {@code ayb.matviews.admin.token} is set, or the application has its own
 * {@link AdminAuthenticator} bean. Without either nothing is served, rather than an API nobody can use or,
 * worse, one anybody can.
 */
@AutoConfiguration(after = AybMatviewsAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ServletRegistrationBean.class, AybAdminServlet.class})
@ConditionalOnBean(AybJobs.class)
@Conditional(AybMatviewsAdminAutoConfiguration.AdminsKnown.class)
public final class AybMatviewsAdminAutoConfiguration {
    /** The servlet registration's bean name, for an application that registers the servlet itself. */
    public static final String SERVLET_BEAN_NAME = "aybMatviewsAdminServlet";

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = AybMatviewsProperties.PREFIX + ".admin", name = "token")
    AdminAuthenticator aybAdminAuthenticator(AybMatviewsProperties properties) {
        // Set: the condition above says so.
        return AdminAuthenticator.bearerToken(Objects.requireNonNull(properties.getAdmin().getToken(),
                "ayb.matviews.admin.token"));
    }

    @Bean
    @ConditionalOnMissingBean
    CollectionAccess aybCollectionAccess(AybMatviewsProperties properties) {
        AybMatviewsProperties.Collections collections = properties.getCollections();
        if (collections.isOpenToAll()) {
            return CollectionAccess.anyone();
        }
        return collections.getPublicViews().isEmpty() ? CollectionAccess.adminOnly()
                : CollectionAccess.publicViews(collections.getPublicViews().toArray(String[]::new));
    }

    @Bean(SERVLET_BEAN_NAME)
    @ConditionalOnMissingBean(name = SERVLET_BEAN_NAME)
    ServletRegistrationBean<AybAdminServlet> aybMatviewsAdminServlet(AybJobs jobs, AdminAuthenticator authenticator,
                                                                     CollectionAccess collectionAccess,
                                                                     AybMatviewsProperties properties,
                                                                     ObjectProvider<ReadReplica> replica) {
        AybAdminServlet servlet = AybAdminServlet.builder(jobs, authenticator).collectionAccess(collectionAccess)
                .collectionStatementTimeout(properties.getCollections().getStatementTimeout())
                .collectionPageCache(properties.getCollections().getPageCacheSize().toBytes())
                .collectionReplica(replica.getIfAvailable()).build();
        ServletRegistrationBean<AybAdminServlet> registration = new ServletRegistrationBean<>(servlet,
                urlMappings(properties.getAdmin().getPath()).toArray(String[]::new));
        registration.setName(SERVLET_BEAN_NAME);
        return registration;
    }

    /**
     * The library's own roots by default, so that the application keeps the rest of its URL space (and Spring
     * MVC its default mapping); under a prefix when one is set.
     */
    static List<String> urlMappings(String path) {
        String prefix = path.strip();
        while (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        if (prefix.isEmpty()) {
            return List.of("/api/admin/*", "/api/collections/*", "/admin/*");
        }
        return List.of((prefix.startsWith("/") ? prefix : "/" + prefix) + "/*");
    }

    /**
     * The replica of {@code ayb.matviews.replica.url}, pooled by HikariCP (Spring Boot's JDBC starter brings it).
     * An application with a pool of its own declares a {@link ReadReplica} bean instead.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "com.zaxxer.hikari.HikariDataSource")
    @ConditionalOnProperty(prefix = AybMatviewsProperties.PREFIX + ".replica", name = "url")
    static class ReplicaConfiguration {
        @Bean
        ReplicaPool aybReplicaPool(AybMatviewsProperties properties) {
            return new ReplicaPool(properties.getReplica());
        }

        @Bean
        @ConditionalOnMissingBean
        ReadReplica aybReadReplica(ReplicaPool pool) {
            return pool.readReplica();
        }
    }

    /** A token is configured, or the application has its own authenticator. */
    static final class AdminsKnown extends AnyNestedCondition {
        AdminsKnown() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnProperty(prefix = AybMatviewsProperties.PREFIX + ".admin", name = "token")
        static final class TokenSet {
        }

        @ConditionalOnBean(AdminAuthenticator.class)
        static final class OwnAuthenticator {
        }
    }
}
