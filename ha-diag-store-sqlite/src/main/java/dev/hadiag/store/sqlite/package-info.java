/** SQLite diagnostic store: an adapter of the core's ports. */
package dev.hadiag.store.sqlite;
