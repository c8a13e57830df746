/**
 * The status of the stack a custom resource belongs to, for handlers that must let a rollback through (a refusal
 * during a rollback would wedge the stack in UPDATE_ROLLBACK_FAILED).
 */
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { describeError, raceDeadline, SDK_CLIENT_CONFIG, TIMED_OUT } from './cfn-response';

/** The stack's status, or undefined when it cannot be read in time. */
export async function stackStatus(stackId: string, deadline: number): Promise<string | undefined> {
  try {
    const client = new CloudFormationClient(SDK_CLIENT_CONFIG);
    const result = await raceDeadline(client.send(new DescribeStacksCommand({ StackName: stackId })), deadline);
    if (result === TIMED_OUT) {
      console.error('reading the stack status timed out');
      return undefined;
    }
    return result.Stacks?.[0]?.StackStatus;
  } catch (err) {
    console.error('reading the stack status failed:', describeError(err));
    return undefined;
  }
}
