-- The write-up's `require "base64"`, which Debian does not package: nginx's decoder.
return { decode = ngx.decode_base64 }
