/**
 * TLS from PEM files for the product's HTTP clients (Consul, Nomad) and the devstack stand-ins'
 * servers: {@link dev.reviewapps.tls.ClientTls} with the tools' own settings (CA, client
 * certificate and key, server name, verification), {@link dev.reviewapps.tls.ServerTls}, and {@link
 * dev.reviewapps.tls.TlsFailure}, which turns a failed handshake into a sentence.
 */
package dev.reviewapps.tls;
