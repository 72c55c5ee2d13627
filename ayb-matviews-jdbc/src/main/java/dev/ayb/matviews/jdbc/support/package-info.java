/**
 * PostgreSQL building blocks that the library's other PostgreSQL modules (jobs, collections) share with this
 * one, so that each rule exists once: the commit rule for pools with either autocommit setting
 * ({@link dev.ayb.matviews.jdbc.support.Connections}), the mapping of PostgreSQL errors and the clean-up of their
 * messages ({@link dev.ayb.matviews.jdbc.support.PgErrors}), the catalog rules
 * ({@link dev.ayb.matviews.jdbc.support.CatalogSql}) and the names of the library's tables; and the size-bounded
 * cache ({@link dev.ayb.matviews.jdbc.support.BoundedCache}) that the read engine and the servlet keep pages of
 * unchanged views in.
 *
 * <p>Exported so that those modules reach it through the module system rather than through an internal package.
 * Not API: applications need none of it, and it may change in any release.
 */
@NullMarked
package dev.ayb.matviews.jdbc.support;

import org.jspecify.annotations.NullMarked;
