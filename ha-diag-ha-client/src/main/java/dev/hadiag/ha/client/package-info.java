/** Home Assistant REST and WebSocket adapter: an adapter of the core's ports. */
package dev.hadiag.ha.client;
