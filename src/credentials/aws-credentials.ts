/** AWS credentials, as the AWS SDK v3 takes them. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** When they stop working; a provider is asked again 5 minutes before. */
  expiration?: Date;
}

/** A function that returns credentials, as `@aws-sdk/credential-providers` makes them. */
export type AwsCredentialsProvider = () => Promise<AwsCredentials>;
