// @ts-check
/* eslint-disable no-restricted-syntax */
'use strict';

/**
 * The blueprint render sandbox. `RenderSandbox` (src/render/RenderSandbox.ts) starts this file in
 * a process of its own: an empty environment, Node's permission model (it may read this file and
 * the nunjucks bundle, nothing else; no writes, no child processes, no workers, no addons) and a
 * heap limit. Inside, nunjucks is hardened: member and name lookups of JavaScript internals are
 * refused, function constructors cannot be reached, `range()` is bounded, and the compiled
 * templates check a deadline and an output budget as they run, so a runaway template fails with
 * the line it was at. Plain JavaScript, because it must load without the TypeScript transform.
 *
 * Protocol (IPC, advanced serialization), one request at a time:
 *   → { id, digest, sources?, evict?, indices, context, timeoutMs, maxOutputChars }
 *   ← { id, outputs: string[] }          one per index, in order
 *   ← { id, error: { index, message } }  the first template that failed
 * and on stdout, before each template, a line `<id> <index>`: a pipe write is synchronous, so the
 * parent knows which template was running even when it has to stop this process.
 */

const nunjucks = require(String(process.argv[2]));

const { runtime, lib, compiler } = nunjucks;

/** Names that lead from a value to JavaScript internals (prototypes, constructors, callers). */
const BLOCKED_NAMES = new Set([
  'constructor',
  'prototype',
  'caller',
  'callee',
  'arguments',
  'call',
  'apply',
  'bind',
  'eval',
  'Function',
]);

const FUNCTION_CONSTRUCTORS = new Set([
  Function,
  Object.getPrototypeOf(async function () {}).constructor,
  Object.getPrototypeOf(function* () {}).constructor,
  Object.getPrototypeOf(async function* () {}).constructor,
]);

/** Longest list `range()` may produce. */
const MAX_RANGE = 100000;

/** String methods whose result can be far larger than their input. */
const GROWING_STRING_METHODS = new Set(['repeat', 'padStart', 'padEnd']);

const budget = {
  deadline: Infinity,
  timeoutMs: 0,
  maxOutputChars: Infinity,
  used: 0,
  ticks: 0,
};

function isBlocked(name) {
  return BLOCKED_NAMES.has(name) || name.startsWith('__');
}

function refuse(name) {
  return new Error(
    `'${name}' cannot be used in a blueprint template: it leads to JavaScript internals`,
  );
}

function outputLimitError() {
  return new Error(
    `the rendered output is larger than the limit of ${budget.maxOutputChars} bytes`,
  );
}

function checkDeadline() {
  budget.ticks += 1;
  if ((budget.ticks & 127) === 0 && Date.now() > budget.deadline) {
    throw new Error(
      `rendering took longer than the time limit of ${budget.timeoutMs} ms`,
    );
  }
}

function checkLength(length) {
  if (budget.used + length > budget.maxOutputChars) {
    throw outputLimitError();
  }
}

function checkNotConstructor(value, name) {
  if (FUNCTION_CONSTRUCTORS.has(value)) {
    throw refuse(name);
  }
}

runtime.memberLookup = function memberLookup(obj, val) {
  if (obj === undefined || obj === null) {
    return undefined;
  }
  const name = String(val);
  if (isBlocked(name)) {
    throw refuse(name);
  }
  const value = obj[name];
  if (typeof value !== 'function') {
    return value;
  }
  checkNotConstructor(value, name);
  if (typeof obj === 'string' && GROWING_STRING_METHODS.has(name)) {
    return function growingStringMethod(...args) {
      const length =
        name === 'repeat' ? obj.length * Number(args[0]) : Number(args[0]);
      if (!(length <= budget.maxOutputChars)) {
        throw outputLimitError();
      }
      return value.apply(obj, args);
    };
  }
  return function boundMethod(...args) {
    return value.apply(obj, args);
  };
};

const callWrap = runtime.callWrap;
runtime.callWrap = function guardedCallWrap(obj, name, context, args) {
  checkNotConstructor(obj, String(name));
  return callWrap(obj, name, context, args);
};

const hasOwn = (object, name) =>
  Object.prototype.hasOwnProperty.call(object, name);

runtime.contextOrFrameLookup = function contextOrFrameLookup(
  context,
  frame,
  name,
) {
  if (isBlocked(name)) {
    throw refuse(name);
  }
  const value = frame.lookup(name);
  if (value !== undefined) {
    return value;
  }
  if (hasOwn(context.ctx, name)) {
    return context.ctx[name];
  }
  return hasOwn(context.env.globals, name)
    ? context.env.globals[name]
    : undefined;
};

// Every loop iteration and `{% set %}` goes through Frame#set: the deadline is checked there.
const frameSet = runtime.Frame.prototype.set;
runtime.Frame.prototype.set = function guardedSet(name, val, resolveUp) {
  checkDeadline();
  return frameSet.call(this, name, val, resolveUp);
};

runtime.$checkOutput = function checkOutput(length) {
  checkLength(length);
  checkDeadline();
};

const repeat = lib.repeat;
lib.repeat = function guardedRepeat(char, times) {
  checkLength(String(char).length * times);
  return repeat(char, times);
};

// The generated code keeps `lineno`/`colno` current before each output and expression (nunjucks
// updates them only around function calls), and checks the output budget after each output.
const { Compiler } = compiler;
const compileOutput = Compiler.prototype.compileOutput;
Compiler.prototype.compileOutput = function guardedOutput(node, frame) {
  this._emitLine(`lineno = ${node.lineno}; colno = ${node.colno};`);
  compileOutput.call(this, node, frame);
  this._emitLine(`runtime.$checkOutput(${this.buffer}.length);`);
};
const compileExpression = Compiler.prototype._compileExpression;
Compiler.prototype._compileExpression = function trackedExpression(
  node,
  frame,
) {
  this._emit(`(lineno = ${node.lineno}, colno = ${node.colno}, `);
  compileExpression.call(this, node, frame);
  this._emit(')');
};

// nunjucks' own positions are 0-based where the compiler tracks them (function calls, and the
// places tracked below): errors report them 1-based, like parse errors.
const handleError = runtime.handleError;
runtime.handleError = function handleErrorOneBased(error, lineno, colno) {
  return handleError(error, lineno + 1, colno + 1);
};

/** `{% include %}`, `{% import %}`, `{% extends %}` and `{% from %}` are refused. */
const noTemplates = {
  getSource(name) {
    throw new Error(
      `'${name}' cannot be loaded: blueprint templates cannot include, import or extend other files`,
    );
  },
};

const environment = new nunjucks.Environment([noTemplates], {
  autoescape: false,
  throwOnUndefined: true,
  tags: {
    variableStart: '${{',
    variableEnd: '}}',
    blockStart: '{%',
    blockEnd: '%}',
    commentStart: '{#',
    commentEnd: '#}',
  },
});
// Output must depend only on the blueprint and the values.
delete environment.filters.random;
const range = environment.globals.range;
environment.addGlobal('range', function boundedRange(start, stop, step) {
  const [from, to, by] =
    stop === undefined
      ? [0, Number(start), 1]
      : [Number(start), Number(stop), step ? Number(step) : 1];
  const count = (to - from) / by;
  if (!Number.isFinite(count) || count > MAX_RANGE) {
    throw new Error(`range() may produce at most ${MAX_RANGE} numbers`);
  }
  return range(start, stop, step);
});

/** Compiled templates by blueprint digest; the parent decides what is evicted. */
const cache = new Map();

function render(request) {
  for (const digest of request.evict ?? []) {
    cache.delete(digest);
  }
  let entry = cache.get(request.digest);
  if (!entry) {
    if (!request.sources) {
      throw new Error(`the sandbox has no templates for ${request.digest}`);
    }
    entry = { sources: request.sources, compiled: [] };
    cache.set(request.digest, entry);
  }
  budget.deadline = Date.now() + request.timeoutMs;
  budget.timeoutMs = request.timeoutMs;
  budget.maxOutputChars = request.maxOutputChars;
  budget.used = 0;
  const outputs = [];
  for (const index of request.indices) {
    process.stdout.write(`${request.id} ${index}\n`);
    try {
      let template = entry.compiled[index];
      if (!template) {
        template = new nunjucks.Template(
          entry.sources[index],
          environment,
          undefined,
          true,
        );
        entry.compiled[index] = template;
      }
      const output = template.render(request.context);
      budget.used += output.length;
      checkLength(0);
      outputs.push(output);
    } catch (error) {
      return { id: request.id, error: { index, message: describe(error) } };
    }
  }
  return { id: request.id, outputs };
}

function describe(error) {
  const message = String(error && error.message ? error.message : error);
  if (message.includes('Invalid string length')) {
    return message.replace(
      /(RangeError: )?Invalid string length/,
      outputLimitError().message,
    );
  }
  return message.length > 2000 ? `${message.slice(0, 2000)}…` : message;
}

process.on('message', request => {
  let reply;
  try {
    reply = render(request);
  } catch (error) {
    reply = { id: request.id, error: { message: describe(error) } };
  }
  process.send(reply);
});
process.on('disconnect', () => process.exit(0));
