package dev.millrace.cdk;

import java.util.List;
import software.amazon.awscdk.Acknowledgment;
import software.amazon.awscdk.Validations;
import software.amazon.awscdk.services.ec2.FlowLogDestination;
import software.amazon.awscdk.services.ec2.FlowLogOptions;
import software.amazon.awscdk.services.ec2.FlowLogTrafficType;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.IpAddresses;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ec2.VpcAttributes;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

/**
 * The VPC: a new one over three zones (public subnets for the load balancers and NAT, private ones
 * for everything else, an S3 gateway endpoint, flow logs), or an existing one imported by id and
 * subnet ids, without a lookup, so synth stays offline.
 */
public final class NetworkConstruct extends Construct {
    private final IVpc vpc;

    public NetworkConstruct(Construct scope, String id, EnvironmentConfig env, LogGroup flowLogs) {
        super(scope, id);
        if (env.vpcId().isEmpty()) {
            Vpc created =
                    Vpc.Builder.create(this, "Vpc")
                            .ipAddresses(IpAddresses.cidr(env.vpcCidr()))
                            .availabilityZones(env.availabilityZones())
                            .natGateways(env.natGateways())
                            .subnetConfiguration(
                                    List.of(
                                            SubnetConfiguration.builder()
                                                    .name("public")
                                                    .subnetType(SubnetType.PUBLIC)
                                                    .cidrMask(24)
                                                    .build(),
                                            SubnetConfiguration.builder()
                                                    .name("private")
                                                    .subnetType(SubnetType.PRIVATE_WITH_EGRESS)
                                                    .cidrMask(20)
                                                    .build()))
                            .build();
            created.addGatewayEndpoint(
                    "S3",
                    GatewayVpcEndpointOptions.builder()
                            .service(GatewayVpcEndpointAwsService.S3)
                            .build());
            created.addFlowLog(
                    "FlowLog",
                    FlowLogOptions.builder()
                            .destination(FlowLogDestination.toCloudWatchLogs(flowLogs))
                            .trafficType(FlowLogTrafficType.REJECT)
                            .build());
            // The zones are named on purpose: MSK spans exactly three, and synth stays offline.
            Validations.of(created)
                    .acknowledge(
                            Acknowledgment.builder()
                                    .id("CloudFormation-Validate::W3010")
                                    .reason(
                                            "MSK spans three named zones; a lookup would need"
                                                    + " network access at synth")
                                    .build());
            vpc = created;
        } else {
            vpc =
                    Vpc.fromVpcAttributes(
                            this,
                            "Vpc",
                            VpcAttributes.builder()
                                    .vpcId(env.vpcId())
                                    .vpcCidrBlock(env.vpcCidr())
                                    .availabilityZones(env.availabilityZones())
                                    .privateSubnetIds(env.privateSubnetIds())
                                    .publicSubnetIds(env.publicSubnetIds())
                                    .build());
        }
    }

    public IVpc vpc() {
        return vpc;
    }

    /** The private subnets, one per zone: brokers, tasks, connectors, Flink. */
    public SubnetSelection privateSubnets() {
        return SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build();
    }

    public List<String> privateSubnetIds() {
        return vpc.selectSubnets(privateSubnets()).getSubnetIds();
    }
}
