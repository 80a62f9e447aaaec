import { Stack, Validations } from "aws-cdk-lib";
import type * as iam from "aws-cdk-lib/aws-iam";
import { Construct, type IConstruct } from "constructs";

/**
 * cdk-nag acknowledgements, made next to the grant that needs them and always with the reason.
 * IAM5 findings name the exact wildcard (`Resource::<Bucket.Arn>/reports/*`), so acknowledging one
 * never hides another: a new wildcard elsewhere still fails the nag test.
 */

/** A CloudFormation value as cdk-nag spells it in finding ids: `<Logical.Attr>`, `<AWS::Partition>`. */
export function nagSpelling(value: unknown): string {
  if (typeof value === "string") return value.replace(/\$\{/g, "<").replace(/\}/g, ">");
  if (value && typeof value === "object") {
    const node = value as Record<string, unknown>;
    if (Array.isArray(node["Fn::Join"])) {
      const [delimiter, items] = node["Fn::Join"] as [string, unknown[]];
      return items.map(nagSpelling).join(delimiter);
    }
    if ("Fn::Sub" in node) return nagSpelling(node["Fn::Sub"]);
    if (Array.isArray(node["Fn::GetAtt"])) {
      const [resource, attribute] = node["Fn::GetAtt"] as [unknown, unknown];
      return `<${nagSpelling(resource)}.${nagSpelling(attribute)}>`;
    }
    if ("Ref" in node) return `<${nagSpelling(node.Ref)}>`;
  }
  return JSON.stringify(value);
}

function constructOf(grantee: iam.IGrantable | IConstruct): IConstruct | null {
  if (Construct.isConstruct(grantee)) return grantee;
  const principal = (grantee as iam.IGrantable).grantPrincipal;
  return Construct.isConstruct(principal) ? principal : null;
}

/** Acknowledges IAM5 for these exact resources (ARNs with their tokens) on the grantee's role. */
export function acknowledgeWildcardResources(
  grantee: iam.IGrantable | IConstruct,
  resources: readonly string[],
  reason: string,
): void {
  const scope = constructOf(grantee);
  if (scope === null) return;
  const stack = Stack.of(scope);
  for (const resource of resources) {
    Validations.of(scope).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagSpelling(stack.resolve(resource))}]`,
      reason,
    });
  }
}

export function acknowledgeWildcardAction(
  grantee: iam.IGrantable | IConstruct,
  action: string,
  reason: string,
): void {
  const scope = constructOf(grantee);
  if (scope !== null)
    Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Action::${action}]`, reason });
}

/** Reason shared by every object-prefix grant. */
export const OBJECT_PREFIX_REASON =
  "S3 object actions need object ARNs; keys under this prefix are created at run time, so the grant is the prefix " +
  "(AWS has no narrower form). The prefix belongs to this function's data only.";
