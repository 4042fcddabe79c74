/**
 * The route table the router reads: {@code <prefix>/routes/<host>} = {@code ip:port[,...]} of an
 * app's healthy web allocations, behind a small interface with its Consul KV implementation.
 */
package dev.reviewapps.controller.reviewapp.routes;
