import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DataTypes, Sequelize } from 'sequelize';
import { parseDatabaseType } from '../../../server/analysis/database-type.ts';
import {
  dataTypeSourceOf,
  dataTypeSourceOfAttribute,
  describeSequelizeType,
} from '../../../server/analysis/sequelize-types.ts';

describe('Sequelize types in words and as source', () => {
  // Only the definitions are read: no connection is opened.
  const sequelize = new Sequelize({ dialect: 'sqlite', storage: ':memory:', logging: false });
  const model = sequelize.define('Typed', {
    name: DataTypes.STRING(64),
    code: DataTypes.CHAR(3),
    price: DataTypes.DECIMAL(12, 2),
    plain: DataTypes.DECIMAL,
    size: DataTypes.ENUM('s', "it's"),
    scores: DataTypes.ARRAY(DataTypes.INTEGER),
    span: DataTypes.RANGE(DataTypes.DATEONLY),
    body: DataTypes.TEXT('long'),
    ratio: DataTypes.DOUBLE,
    shown: DataTypes.VIRTUAL,
  }, { tableName: 'typed', timestamps: false });
  const type = (name: string) => model.getAttributes()[name]?.type;

  it('describes a model attribute as the analysis reports it', () => {
    const described = ['name', 'code', 'price', 'plain', 'size', 'scores', 'span', 'body', 'ratio']
      .map((name) => describeSequelizeType(type(name)));
    assert.deepEqual(described, ['STRING(64)', 'CHAR(3)', 'DECIMAL(12, 2)', 'DECIMAL',
      "ENUM('s', 'it\\'s')", 'ARRAY(INTEGER)', 'RANGE(DATEONLY)', "TEXT('long')", 'DOUBLE']);
    assert.equal(describeSequelizeType('VARCHAR(9)'), 'VARCHAR(9)');
  });

  it('writes a model attribute as DataTypes source, and nothing for a VIRTUAL one', () => {
    assert.equal(dataTypeSourceOfAttribute(type('scores')), 'DataTypes.ARRAY(DataTypes.INTEGER)');
    assert.equal(dataTypeSourceOfAttribute(type('span')), 'DataTypes.RANGE(DataTypes.DATEONLY)');
    assert.equal(dataTypeSourceOfAttribute(type('shown')), null);
    assert.equal(dataTypeSourceOfAttribute('VARCHAR(9)'), null);
  });

  it('writes a live column type as DataTypes source where Sequelize has one', () => {
    const source = (written: string, values?: string[]) =>
      dataTypeSourceOf(parseDatabaseType(written, 'postgres', { enumValues: values }));
    assert.equal(source('character varying(40)'), 'DataTypes.STRING(40)');
    assert.equal(source('character varying'), null);
    assert.equal(source('character'), 'DataTypes.CHAR');
    assert.equal(source('numeric(12,2)'), 'DataTypes.DECIMAL(12, 2)');
    assert.equal(source('numeric'), 'DataTypes.DECIMAL');
    assert.equal(source('integer[]'), 'DataTypes.ARRAY(DataTypes.INTEGER)');
    assert.equal(source('xml[]'), null);
    assert.equal(source('tstzrange'), 'DataTypes.RANGE(DataTypes.DATE)');
    assert.equal(source('mood', ['a', "b'c"]), "DataTypes.ENUM('a', 'b\\'c')");
    assert.equal(source('money'), null);
    assert.equal(dataTypeSourceOf(parseDatabaseType("enum('x')", 'mysql')),
      "DataTypes.ENUM('x')");
  });
});
