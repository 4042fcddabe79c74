package dev.reviewapps.devstack.aws.rds;

import dev.reviewapps.devstack.aws.protocol.Xml;
import java.util.Map;
import java.util.Optional;

/** The XML of RDS's {@code DBInstance}, {@code DBSnapshot} and {@code TagList} elements. */
final class RdsXml {
  private RdsXml() {}

  /** What differs between how an instance is stored and how it is shown. */
  record View(Optional<String> dbName, String region) {}

  static void instance(Xml xml, DbInstance i, String arn, View view) {
    xml.open("DBInstance")
        .leaf("DBInstanceIdentifier", i.identifier)
        .leaf("DBInstanceClass", i.instanceClass)
        .leaf("Engine", i.engine)
        .leaf("DBInstanceStatus", i.status)
        .leaf("MasterUsername", i.masterUsername);
    view.dbName().ifPresent(n -> xml.leaf("DBName", n));
    i.endpoint.ifPresent(
        e ->
            xml.open("Endpoint")
                .leaf("Address", e.address())
                .leaf("Port", e.port())
                .leaf("HostedZoneId", "Z2R2ITUGPM61AM")
                .close());
    xml.leaf("AllocatedStorage", i.allocatedStorage).time("InstanceCreateTime", i.created);
    xml.leaf("PreferredBackupWindow", "06:00-06:30")
        .leaf("BackupRetentionPeriod", 1)
        .leaf("AvailabilityZone", view.region() + "a")
        .leaf("PreferredMaintenanceWindow", "sun:07:00-sun:07:30");
    xml.open("PendingModifiedValues");
    i.pendingInstanceClass.ifPresent(c -> xml.leaf("DBInstanceClass", c));
    i.pendingStorage.ifPresent(s -> xml.leaf("AllocatedStorage", s));
    if (i.passwordPending) {
      xml.leaf("MasterUserPassword", "****");
    }
    xml.close();
    xml.leaf("MultiAZ", false)
        .leaf("EngineVersion", i.engineVersion)
        .leaf("AutoMinorVersionUpgrade", true)
        .leaf("PubliclyAccessible", false)
        .leaf("StorageType", "gp2")
        .leaf("DbInstancePort", 0)
        .leaf("StorageEncrypted", false)
        .leaf("DbiResourceId", i.resourceId)
        .leaf("DBInstanceArn", arn)
        .leaf("DeletionProtection", i.deletionProtection);
    tags(xml, i.tags);
    xml.close();
  }

  static void snapshot(Xml xml, DbSnapshot s, String arn) {
    xml.open("DBSnapshot")
        .leaf("DBSnapshotIdentifier", s.identifier)
        .leaf("DBInstanceIdentifier", s.instanceIdentifier)
        .time("SnapshotCreateTime", s.created)
        .leaf("Engine", s.engine)
        .leaf("AllocatedStorage", s.allocatedStorage)
        .leaf("Status", s.status)
        .leaf("Port", s.port)
        .time("InstanceCreateTime", s.created)
        .leaf("MasterUsername", s.masterUsername)
        .leaf("EngineVersion", s.engineVersion)
        .leaf("SnapshotType", "manual")
        .leaf("PercentProgress", s.status.equals("creating") ? 0 : 100)
        .leaf("StorageType", "gp2")
        .leaf("Encrypted", false)
        .leaf("DBSnapshotArn", arn);
    tags(xml, s.tags);
    xml.close();
  }

  static void tags(Xml xml, Map<String, String> tags) {
    xml.open("TagList");
    tags.forEach((k, v) -> xml.open("Tag").leaf("Key", k).leaf("Value", v).close());
    xml.close();
  }
}
