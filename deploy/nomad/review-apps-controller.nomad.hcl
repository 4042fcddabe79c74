# The review-apps controller as a Nomad service job: two instances on different nodes, one
# leading through the Consul lock, the other waiting to take over.
#
# Secrets live in the Nomad variable nomad/jobs/review-apps-controller (readable by this job's
# tasks without any ACL policy; see deploy/README.md):
#   nomad var put nomad/jobs/review-apps-controller \
#     consul_token=... nomad_token=... postgres_password=...
# Run:
#   nomad job run -var image=registry.example.com/review-apps/controller:3f2a9c1 \
#     -var host_template='{name}.review.example.com' \
#     -var postgres_jdbc_url=jdbc:postgresql://shared-pg.internal:5432/postgres \
#     -var postgres_endpoint=shared-pg.internal:5432 review-apps-controller.nomad.hcl

variable "image" {
  type        = string
  description = "The controller image built from deploy/docker/Dockerfile"
}

variable "datacenters" {
  type    = list(string)
  default = ["dc1"]
}

# Both default to the agents on the node the controller runs on, through Nomad's template
# (the Consul agent's client_addr must include the node's address).
variable "consul_address" {
  type    = string
  default = "http://{{ env \"attr.unique.network.ip-address\" }}:8500"
}

variable "nomad_address" {
  type    = string
  default = "http://{{ env \"attr.unique.network.ip-address\" }}:4646"
}

variable "host_template" {
  type        = string
  description = "Host of a review app, with {name}"
}

variable "url_scheme" {
  type    = string
  default = "https"
}

variable "postgres_jdbc_url" {
  type        = string
  description = "Admin JDBC URL of the shared PostgreSQL / RDS instance"
}

variable "postgres_endpoint" {
  type        = string
  description = "host:port of the shared PostgreSQL as the review apps reach it"
}

variable "postgres_user" {
  type    = string
  default = "postgres"
}

variable "aws_region" {
  type    = string
  default = "us-east-1"
}

variable "asg_name" {
  type        = string
  description = "Auto Scaling Group of the Nomad clients that run the review apps"
  default     = "review-apps-nodes"
}

variable "apps_datacenter" {
  type        = string
  description = "Datacenter the review apps' jobs go to"
  default     = "dc1"
}

job "review-apps-controller" {
  datacenters = var.datacenters
  type        = "service"

  group "controller" {
    # Two: the leader and a standby. A third would not shorten a hand-over, which the Consul
    # session bounds (2 x TTL + lock-delay), only survive a second node failure.
    count = 2

    # Never both on one node: losing that node would lose the standby too.
    constraint {
      operator = "distinct_hosts"
      value    = "true"
    }

    network {
      port "http" {
        to = 9090
      }
      # The read-only dashboard (controller/reviewapp/README.md, "Dashboard"); off loopback it
      # needs its token (dashboard_token in the job's Nomad variable).
      port "dashboard" {
        to = 8090
      }
    }

    # Prometheus finds the instances through this service (consul_sd_configs), and Consul
    # checks /readyz: a controller that cannot reach Consul for a TTL is not ready.
    service {
      name     = "review-apps-controller"
      port     = "http"
      tags     = ["metrics"]
      provider = "consul"

      check {
        name     = "readyz"
        type     = "http"
        path     = "/readyz"
        interval = "10s"
        timeout  = "2s"
      }
    }

    # A crash is retried in place a few times, then the allocation is rescheduled elsewhere;
    # the standby has taken over the lock meanwhile.
    restart {
      attempts = 3
      interval = "5m"
      delay    = "10s"
      mode     = "fail"
    }

    update {
      # One at a time: the standby keeps the lock warm while the other is replaced.
      max_parallel     = 1
      health_check     = "checks"
      min_healthy_time = "20s"
      healthy_deadline = "3m"
      auto_revert      = true
    }

    task "controller" {
      driver = "docker"

      config {
        image = var.image
        ports = ["http", "dashboard"]
        # The configuration rendered below, where the image's ENTRYPOINT reads it.
        mount {
          type     = "bind"
          source   = "local/controller.json"
          target   = "/etc/review-apps/controller.json"
          readonly = true
        }
      }

      # SIGTERM starts the graceful stop: running reconciles get controller.shutdownGrace (30 s),
      # then the lock is released so the standby takes over at once. Nomad's default of 5 s
      # would SIGKILL it first (and the hand-over would wait for the session to expire).
      kill_signal  = "SIGTERM"
      kill_timeout = "45s"

      # Non-secret configuration; keys in controller/README.md and controller/reviewapp/README.md.
      template {
        destination = "local/controller.json"
        change_mode = "restart"
        data        = <<-EOT
          {
            "consul": { "address": "${var.consul_address}" },
            "prefix": "review-apps/",
            "controller": { "workers": 4, "resync": "10m", "shutdownGrace": "30s" },
            "leader": { "ttl": "15s", "lockDelay": "15s" },
            "http": { "bind": "0.0.0.0", "port": 9090 },
            "log": { "format": "json" },
            "reviewapp": {
              "hostTemplate": "${var.host_template}",
              "urlScheme": "${var.url_scheme}",
              "nomad": { "address": "${var.nomad_address}", "datacenter": "${var.apps_datacenter}", "driver": "docker" },
              "aws": { "region": "${var.aws_region}" },
              "capacity": { "provider": "asg", "asgName": "${var.asg_name}" },
              "dashboard": { "bind": "0.0.0.0", "port": 8090 },
              "database": {
                "shared": { "jdbcUrl": "${var.postgres_jdbc_url}", "username": "${var.postgres_user}", "endpoint": "${var.postgres_endpoint}" }
              }
            }
          }
        EOT
      }

      # Secrets, from the job's Nomad variable into the task's environment (they win over the
      # file). The file lives in secrets/, which Nomad keeps off the container's image and disk
      # snapshots. Vault instead: {{ with secret "kv/data/review-apps" }} ... {{ end }}.
      template {
        destination = "secrets/controller.env"
        env         = true
        change_mode = "restart"
        data        = <<-EOT
          {{ with nomadVar "nomad/jobs/review-apps-controller" -}}
          CONSUL_HTTP_TOKEN={{ .consul_token }}
          NOMAD_TOKEN={{ .nomad_token }}
          REVIEW_APPS_POSTGRES_PASSWORD={{ .postgres_password }}
          REVIEW_APPS_DASHBOARD_TOKEN={{ .dashboard_token }}
          {{- end }}
        EOT
      }

      env {
        # Instance name in the leader key and the logs.
        REVIEW_APPS_IDENTITY = "${NOMAD_ALLOC_ID}"
      }

      resources {
        cpu    = 500
        memory = 512
      }
    }
  }
}
