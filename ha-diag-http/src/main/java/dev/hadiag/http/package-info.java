/** The agent's HTTP API (Javalin): an adapter of the core's ports. */
package dev.hadiag.http;
