"""Drives boto3 against the emulator for test/fidelity/boto3-aws-cli.test.ts.

Reads {"endpoint_url": ..., "cases": [...]} as JSON on stdin and prints one JSON result per
case, in order, as a JSON list on stdout. Credentials and region come from the environment
(AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION), as a user's would; a case may
override the key pair to provoke signature errors.
"""
import base64
import json
import sys
import time

import boto3
import botocore
from botocore.config import Config
from botocore.exceptions import ClientError, EventStreamError


def client(service, endpoint_url, case):
    retries = case.get("retries", {"mode": "standard", "total_max_attempts": 1})
    kwargs = {}
    if "credentials" in case:
        kwargs["aws_access_key_id"] = case["credentials"]["accessKeyId"]
        kwargs["aws_secret_access_key"] = case["credentials"]["secretAccessKey"]
    config = Config(retries=retries, read_timeout=30, s3={"addressing_style": "path"})
    return boto3.client(service, endpoint_url=endpoint_url, config=config, **kwargs)


def error_result(err):
    response = err.response
    out = {
        "ok": False,
        "code": response.get("Error", {}).get("Code"),
        "message": response.get("Error", {}).get("Message"),
        "status": response.get("ResponseMetadata", {}).get("HTTPStatusCode"),
        "attempts": response.get("ResponseMetadata", {}).get("RetryAttempts", 0) + 1,
        "requestId": response.get("ResponseMetadata", {}).get("RequestId"),
    }
    for key in ("OriginalStatusCode", "OriginalMessage", "LogStreamArn", "ErrorCode"):
        if key in response:
            out[key] = response[key]
    return out


def supports(sm, operation):
    return operation in sm.meta.service_model.operation_names


def wait_for_object(s3, locations, timeout_s=10.0):
    """Polls HeadObject on the output and failure locations, as a user of async inference does."""
    deadline = time.time() + timeout_s
    polls = 0
    while time.time() < deadline:
        for kind, uri in locations:
            bucket, key = uri[len("s3://"):].split("/", 1)
            polls += 1
            try:
                s3.head_object(Bucket=bucket, Key=key)
            except ClientError as err:
                if err.response["ResponseMetadata"]["HTTPStatusCode"] == 404:
                    continue
                raise
            got = s3.get_object(Bucket=bucket, Key=key)
            return {"written": kind, "object": got["Body"].read().decode("utf-8"), "objectContentType": got["ContentType"], "polls": polls}
        time.sleep(0.05)
    return {"written": None, "polls": polls}


def run(endpoint_url, case):
    sm = client("sagemaker-runtime", endpoint_url, case)
    op = case["op"]
    params = dict(case.get("params", {}))
    if "Body" in params:
        params["Body"] = params["Body"].encode("utf-8")
    try:
        if op == "invoke_endpoint":
            res = sm.invoke_endpoint(**params)
            out = {k: v for k, v in res.items() if k not in ("Body", "ResponseMetadata")}
            out.update(ok=True, body=res["Body"].read().decode("utf-8"), status=res["ResponseMetadata"]["HTTPStatusCode"])
            return out
        if op == "invoke_endpoint_async":
            res = sm.invoke_endpoint_async(**params)
            out = {k: v for k, v in res.items() if k != "ResponseMetadata"}
            out.update(ok=True, status=res["ResponseMetadata"]["HTTPStatusCode"])
            # botocore older than 2023-04 does not model FailureLocation: read its header instead.
            if "FailureLocation" not in out:
                out["FailureLocation"] = res["ResponseMetadata"]["HTTPHeaders"].get("x-amzn-sagemaker-failurelocation")
                out["unmodelled"] = ["FailureLocation"]
            if case.get("wait"):
                s3 = client("s3", endpoint_url, case)
                out.update(wait_for_object(s3, [("output", out["OutputLocation"]), ("failure", out["FailureLocation"])]))
            return out
        if op == "invoke_endpoint_with_response_stream":
            if not supports(sm, "InvokeEndpointWithResponseStream"):
                return {"skipped": "botocore %s has no InvokeEndpointWithResponseStream" % botocore.__version__}
            res = sm.invoke_endpoint_with_response_stream(**params)
            parts = []
            out = {"ok": True, "status": res["ResponseMetadata"]["HTTPStatusCode"], "ContentType": res.get("ContentType")}
            try:
                for event in res["Body"]:
                    if "PayloadPart" in event:
                        parts.append(base64.b64encode(event["PayloadPart"]["Bytes"]).decode("ascii"))
            except EventStreamError as err:
                out["streamError"] = err.response.get("Error", {}).get("Code")
            out["parts"] = parts
            return out
        if op == "s3_get_object":
            s3 = client("s3", endpoint_url, case)
            got = s3.get_object(Bucket=params["Bucket"], Key=params["Key"])
            return {"ok": True, "object": got["Body"].read().decode("utf-8")}
        return {"error": "unknown op %s" % op}
    except ClientError as err:
        return error_result(err)


def main():
    spec = json.load(sys.stdin)
    results = [run(spec["endpoint_url"], case) for case in spec["cases"]]
    json.dump({"boto3": boto3.__version__, "botocore": botocore.__version__, "results": results}, sys.stdout, default=str)


if __name__ == "__main__":
    main()
